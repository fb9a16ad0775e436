package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer against twilio-java's builders, character by character in attribute values and in text. */
class TwimlTest {

    /** Characters per document: the escaping of one character does not depend on its neighbours (but for pairs). */
    private static final int CHUNK = 512;

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

    @Test
    void refusesWhatXmlDoesNotAllow() {
        for (char c = 0; c < ' '; c++) {
            if (c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            String value = "a" + c + "b";
            assertThatThrownBy(() -> Twiml.say(value).toXml()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(String.format("U+%04X is not allowed in XML", (int) c));
            assertThatThrownBy(() -> Twiml.appendAttributeValue(new StringBuilder(), value))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String unpaired : List.of("\uD800b", "a\uDC00", "\uDC00\uD800", "a\uDBFF")) {
            assertThatThrownBy(() -> Twiml.message(unpaired).toXml()).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Twiml.appendAttributeValue(new StringBuilder(), unpaired))
                    .isInstanceOf(IllegalArgumentException.class);
        }
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

    /** Every character of the Basic Multilingual Plane that XML allows, in chunks; surrogates are tested in pairs. */
    private static List<String> chunks() {
        var text = new StringBuilder("\t\n\r");
        for (int c = ' '; c <= Character.MAX_VALUE; c++) {
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

    private static String xml(TwiML twiml) {
        try {
            return twiml.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("TwiML could not be serialized", e);
        }
    }
}
