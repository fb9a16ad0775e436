package io.switchboard.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.messaging.Message;
import io.switchboard.routing.Route;
import io.switchboard.twilio.TwilioRegion;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Both SMS answers, byte for byte as twilio-java's builders write them, and which one each SMS gets. */
class SmsRepliesTest {

    private static final String EMPTY = xml(new MessagingResponse.Builder().build());
    private static final String HELP = xml(new MessagingResponse.Builder()
            .message(new Message.Builder(SmsReplies.HELP_TEXT).build()).build());

    // The TwiML answers need neither the client nor the credentials.
    private final SmsReplies replies = new SmsReplies(null, null);

    @Test
    void answersHelpWithTwimlOnlyInUs1AndEverythingElseEmpty() {
        assertThat(replies.empty()).isEqualTo(EMPTY).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        assertThat(replies.twiml(route(TwilioRegion.US1), OptOutWords.HELP)).isEqualTo(HELP);
        assertThat(replies.twiml(route(TwilioRegion.IE1), OptOutWords.HELP)).isEqualTo(EMPTY);
        assertThat(replies.twiml(null, OptOutWords.HELP)).isEqualTo(EMPTY);
        for (var word : new OptOutWords[] { OptOutWords.STOP, OptOutWords.START, OptOutWords.NONE }) {
            assertThat(replies.twiml(route(TwilioRegion.US1), word)).as(word.name()).isEqualTo(EMPTY);
        }
    }

    private static Route route(TwilioRegion region) {
        return new Route(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "+14155550100",
                "AC0123456789abcdef0123456789abcdef", region.id(), null);
    }

    private static String xml(TwiML twiml) {
        try {
            return twiml.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("TwiML could not be serialized", e);
        }
    }
}
