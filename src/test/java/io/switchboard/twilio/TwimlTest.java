package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.messaging.Message;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Recording;
import com.twilio.twiml.voice.Reject;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import com.twilio.twiml.voice.Stream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** The writer against twilio-java's builders, character by character in attribute values and in text. */
class TwimlTest {

    /** Characters per document: the escaping of one character does not depend on its neighbours (but for pairs). */
    private static final int CHUNK = 512;
    private static final DocumentBuilderFactory XML = DocumentBuilderFactory.newInstance();

    @Test
    void escapesEveryCharacterOfAnAttributeValueAsTheBuildersDo() {
        for (String chunk : chunks()) {
            assertThat(Twiml.response().child(Twiml.connect().child(Twiml.stream("u")
                    .child(Twiml.parameter("n", chunk)))).toXml())
                    .as("characters from U+%04X", (int) chunk.charAt(0))
                    .isEqualTo(xml(new VoiceResponse.Builder().connect(new Connect.Builder()
                            .stream(new Stream.Builder().url("u").parameter(new Parameter.Builder().name("n")
                                    .value(chunk).build()).build())
                            .build()).build()));
        }
    }

    @Test
    void escapesEveryCharacterOfTextAsTheBuildersDo() {
        for (String chunk : chunks()) {
            assertThat(Twiml.response().child(Twiml.say(chunk)).toXml())
                    .as("characters from U+%04X", (int) chunk.charAt(0))
                    .isEqualTo(xml(new VoiceResponse.Builder().say(new Say.Builder(chunk).build()).build()));
        }
    }

    @Test
    void writesSupplementaryCharactersAsTheBuildersDo() {
        String value = "a😀b\uD800\uDC00c\uDBFF\uDFFF𝄞";
        assertThat(Twiml.response().child(Twiml.message(value)).toXml()).isEqualTo(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
                        + "a&#128512;b&#65536;c&#1114111;&#119070;</Message></Response>")
                .isEqualTo(xml(new MessagingResponse.Builder().message(new Message.Builder(value).build()).build()));
        assertThat(Twiml.response().child(Twiml.connect().child(Twiml.stream(value))).toXml())
                .isEqualTo(xml(new VoiceResponse.Builder().connect(new Connect.Builder()
                        .stream(new Stream.Builder().url(value).build()).build()).build()));
    }

    /**
     * Where the builders refuse the document (controls, unpaired surrogates) or write one no parser reads (U+FFFE,
     * U+FFFF), the writer puts U+FFFD: the answer to a call stays a document Twilio can read.
     */
    @Test
    void replacesWhatXmlDoesNotAllowWithTheReplacementCharacter() {
        var forbidden = new ArrayList<String>();
        for (char c = 0; c < ' '; c++) {
            if (c != '\t' && c != '\n' && c != '\r') {
                forbidden.add(String.valueOf(c));
            }
        }
        forbidden.addAll(List.of("\uFFFE", "\uFFFF", "\uD800", "\uDBFF", "\uDC00", "\uDFFF"));
        for (String c : forbidden) {
            String value = "a" + c + "b";
            assertThat(Twiml.isAllowedInXml(value)).as("U+%04X", (int) c.charAt(0)).isFalse();
            String say = Twiml.response().child(Twiml.say(value)).toXml();
            assertThat(say).isEqualTo(Twiml.DECLARATION + "<Response><Say>a\uFFFDb</Say></Response>");
            assertThat(parse(say).getTextContent()).isEqualTo("a\uFFFDb");
            String parameter = Twiml.parameter("n", value).toXml();
            assertThat(parameter).isEqualTo(Twiml.DECLARATION + "<Parameter name=\"n\" value=\"a\uFFFDb\"/>");
            assertThat(parse(parameter).getAttribute("value")).isEqualTo("a\uFFFDb");
            assertThat(Twiml.appendAttributeValue(new StringBuilder(), value).toString()).isEqualTo("a\uFFFDb");
        }
        // Each unpaired half on its own, next to a pair that stays a pair.
        for (String[] pair : List.of(new String[] { "\uD800b", "\uFFFDb" }, new String[] { "a\uDC00", "a\uFFFD" },
                new String[] { "\uDC00\uD800", "\uFFFD\uFFFD" }, new String[] { "a\uDBFF", "a\uFFFD" },
                new String[] { "\uD83D\uD83D\uDE00", "\uFFFD&#128512;" })) {
            assertThat(Twiml.message(pair[0]).toXml()).isEqualTo(Twiml.DECLARATION + "<Message>" + pair[1]
                    + "</Message>");
            assertThat(Twiml.appendAttributeValue(new StringBuilder(), pair[0]).toString()).isEqualTo(pair[1]);
        }
    }

    @Test
    void everyCharacterOfTheBasicPlaneGivesADocumentAParserReads() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String value = "a" + (char) c + "b";
            boolean allowed = Twiml.isAllowedInXml(value);
            String expected = allowed ? value : "a\uFFFDb";
            assertThat(allowed).as("U+%04X", c).isEqualTo(c == '\t' || c == '\n' || c == '\r'
                    || (c >= ' ' && c <= 0xFFFD && !Character.isSurrogate((char) c)));
            // Read back as written: tab, line feed and carriage return too, which are written as references where a
            // parser would otherwise normalise them.
            assertThat(parse(Twiml.parameter("n", value).toXml()).getAttribute("value")).as("U+%04X", c)
                    .isEqualTo(expected);
            assertThat(parse(Twiml.say(value).toXml()).getTextContent()).as("U+%04X", c).isEqualTo(expected);
        }
        assertThat(Twiml.isAllowedInXml("😀 ok 𝄞 \uFFFD")).isTrue();
    }

    @Test
    void sortsAttributesByNameAndLeavesOutNullOnesAsTheBuildersDo() {
        var written = Twiml.dial()
                .attribute("timeout", "20")
                .recordingStatusCallback("https://hooks.example.com/r?a=1&b=2", "POST",
                        List.of("in-progress", "completed", "absent"))
                .attribute("record", "record-from-answer-dual")
                .attribute("callerId", null)
                .attribute("action", "x")
                .attribute("action", null);
        assertThat(Twiml.response().child(written).toXml()).isEqualTo(xml(new VoiceResponse.Builder()
                .dial(new Dial.Builder()
                        .timeout(20)
                        .record(Dial.Record.RECORD_FROM_ANSWER_DUAL)
                        .recordingStatusCallback("https://hooks.example.com/r?a=1&b=2")
                        .recordingStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                        .recordingStatusCallbackEvents(List.of(Dial.RecordingEvent.IN_PROGRESS,
                                Dial.RecordingEvent.COMPLETED, Dial.RecordingEvent.ABSENT))
                        .build())
                .build()));
        assertThat(Twiml.parameter("n", null).toXml())
                .isEqualTo(xml(new Parameter.Builder().name("n").build()))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Parameter name=\"n\"/>");
    }

    @Test
    void leavesOutWhatTheBuildersTakeAsAUriWhenItIsNotOne() {
        String notAUri = "sip:a|b@sip.example.com";
        String url = "https://hooks.example.com/a<b>";
        var events = List.of("completed");
        assertThat(Twiml.response().child(Twiml.dial().recordingStatusCallback(url, "POST", events)
                .child(Twiml.sip(notAUri))).toXml())
                .isEqualTo(xml(new VoiceResponse.Builder().dial(new Dial.Builder().recordingStatusCallback(url)
                        .recordingStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                        .recordingStatusCallbackEvents(List.of(Dial.RecordingEvent.COMPLETED))
                        .sip(new Sip.Builder(notAUri).build()).build()).build()))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial"
                        + " recordingStatusCallbackEvent=\"completed\" recordingStatusCallbackMethod=\"POST\"><Sip/>"
                        + "</Dial></Response>");
        // <Recording> takes its URL as a string.
        assertThat(Twiml.recording().recordingStatusCallback(url, "POST", events).toXml())
                .isEqualTo(xml(new Recording.Builder().recordingStatusCallback(url)
                        .recordingStatusCallbackMethod(Recording.RecordingStatusCallbackMethod.POST)
                        .recordingStatusCallbackEvents(List.of(Recording.Event.COMPLETED)).build()))
                .contains(" recordingStatusCallback=\"https://hooks.example.com/a&lt;b&gt;\"");
    }

    @Test
    void closesElementsWithoutContentAsTheBuildersDo() {
        assertThat(Twiml.response().toXml()).isEqualTo(xml(new MessagingResponse.Builder().build()))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        assertThat(Twiml.response().child(Twiml.say("")).child(Twiml.hangup()).child(Twiml.reject()).toXml())
                .isEqualTo(xml(new VoiceResponse.Builder().say(new Say.Builder("").build())
                        .hangup(new Hangup.Builder().build()).reject(new Reject.Builder().build()).build()))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say/><Hangup/><Reject/></Response>");
    }

    /**
     * Every character of the Basic Multilingual Plane that XML allows (up to U+FFFD), in chunks; surrogates are tested
     * in pairs.
     */
    private static List<String> chunks() {
        var text = new StringBuilder("\t\n\r");
        for (int c = ' '; c <= 0xFFFD; c++) {
            if (!Character.isSurrogate((char) c)) {
                text.append((char) c);
            }
        }
        var chunks = new ArrayList<String>();
        for (int i = 0; i < text.length(); i += CHUNK) {
            chunks.add(text.substring(i, Math.min(text.length(), i + CHUNK)));
        }
        return chunks;
    }

    /** The root element of the document, read by the JDK's XML 1.0 parser, which refuses what XML does not allow. */
    private static Element parse(String xml) {
        try {
            return XML.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("not a well-formed XML document: " + xml, e);
        }
    }

    private static String xml(TwiML twiml) {
        try {
            return twiml.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("TwiML could not be serialized", e);
        }
    }
}
