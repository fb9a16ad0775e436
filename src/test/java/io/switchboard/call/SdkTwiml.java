package io.switchboard.call;

import com.twilio.twiml.TwiML;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Recording;
import com.twilio.twiml.voice.Reject;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import com.twilio.twiml.voice.Start;
import com.twilio.twiml.voice.Stream;
import io.switchboard.agent.Routing;
import io.switchboard.routing.Route;
import java.util.List;
import java.util.Map;

/** The voice TwiML twilio-java's builders produce: the reference {@link CallTwiml} must equal byte for byte. */
final class SdkTwiml {

    private SdkTwiml() {
    }

    static String connect(String recordingStatusUrl, Route.Agent agent, String callSid, String from, String to) {
        var response = new VoiceResponse.Builder();
        switch (agent.type()) {
            case Routing.STREAM -> {
                if (agent.recording()) {
                    response.start(new Start.Builder().recording(new Recording.Builder()
                            .recordingStatusCallback(recordingStatusUrl)
                            .recordingStatusCallbackMethod(Recording.RecordingStatusCallbackMethod.POST)
                            .recordingStatusCallbackEvents(List.of(Recording.Event.IN_PROGRESS,
                                    Recording.Event.COMPLETED, Recording.Event.ABSENT))
                            .build()).build());
                }
                var stream = new Stream.Builder().url(agent.target())
                        .parameter(parameter("callSid", callSid))
                        .parameter(parameter("from", from))
                        .parameter(parameter("to", to))
                        .parameter(parameter("agentId", agent.id().toString()));
                agent.parameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(p -> stream.parameter(parameter(p.getKey(), p.getValue())));
                response.connect(new Connect.Builder().stream(stream.build()).build());
            }
            case Routing.SIP -> response.dial(dial(recordingStatusUrl, agent)
                    .sip(new Sip.Builder(agent.target()).build()).build());
            case Routing.NUMBER -> response.dial(dial(recordingStatusUrl, agent)
                    .number(new com.twilio.twiml.voice.Number.Builder(agent.target()).build()).build());
            default -> throw new IllegalStateException("unknown routing type " + agent.type());
        }
        return xml(response.build());
    }

    static String noAgent() {
        return xml(new VoiceResponse.Builder()
                .say(new Say.Builder(CallTwiml.NO_AGENT_MESSAGE).build())
                .hangup(new Hangup.Builder().build())
                .build());
    }

    static String reject() {
        return xml(new VoiceResponse.Builder().reject(new Reject.Builder().build()).build());
    }

    static String hangup() {
        return xml(new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build());
    }

    private static Dial.Builder dial(String recordingStatusUrl, Route.Agent agent) {
        var dial = new Dial.Builder();
        if (agent.recording()) {
            dial.record(Dial.Record.RECORD_FROM_ANSWER_DUAL)
                    .recordingStatusCallback(recordingStatusUrl)
                    .recordingStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                    .recordingStatusCallbackEvents(List.of(Dial.RecordingEvent.IN_PROGRESS,
                            Dial.RecordingEvent.COMPLETED, Dial.RecordingEvent.ABSENT));
        }
        return dial;
    }

    private static Parameter parameter(String name, String value) {
        return new Parameter.Builder().name(name).value(value).build();
    }

    private static String xml(TwiML twiml) {
        try {
            return twiml.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("TwiML could not be serialized", e);
        }
    }
}
