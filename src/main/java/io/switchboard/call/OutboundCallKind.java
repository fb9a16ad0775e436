package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.message.DoNotContactRepository;
import io.switchboard.outbound.DispatchKind;
import io.switchboard.outbound.DispatchTable;
import io.switchboard.outbound.OutboundConfig;
import io.switchboard.twilio.CallFilter;
import io.switchboard.twilio.CallRequest;
import io.switchboard.twilio.TwilioCall;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Outbound calls as a kind of send, placed once each at {@code switchboard.outbound.calls-per-second} per Twilio
 * account. An ambiguous create is looked for by listing the account's calls To and From the same numbers and adopting
 * an outbound call no row owns yet; one still not found after the grace period is placed once more. Two calls of one
 * batch to the same target may adopt each other's call; each Twilio call is adopted by one row only.
 */
@ApplicationScoped
class OutboundCallKind implements DispatchKind {

    private static final Logger LOG = Logger.getLogger(OutboundCallKind.class);
    private static final List<String> CALL_EVENTS = List.of("initiated", "ringing", "answered", "completed");
    private static final List<String> RECORDING_EVENTS = List.of("completed", "absent");
    private static final int RECONCILE_LIST_LIMIT = 50;

    private final OutboundCallRepository repository;
    private final TwilioClient twilio;
    private final WebhookUrls urls;
    private final OutboundConfig config;

    OutboundCallKind(OutboundCallRepository repository, TwilioClient twilio, WebhookUrls urls, OutboundConfig config) {
        this.repository = repository;
        this.twilio = twilio;
        this.urls = urls;
        this.config = config;
    }

    @Override
    public DispatchTable table() {
        return OutboundCallRepository.DISPATCH;
    }

    @Override
    public double perSecond() {
        return config.callsPerSecond();
    }

    /**
     * Checked as the call is claimed, not only when the batch was accepted: a recipient listed since (a STOP reply to
     * a campaign's text) is not called, and a call whose agent or caller-ID number was deleted is not placed only for
     * the callee to be hung up on.
     */
    @Override
    public String withheld(Row row) {
        if (Boolean.TRUE.equals(row.getBoolean("do_not_contact"))) {
            return DoNotContactRepository.SKIP_REASON;
        }
        if (Boolean.TRUE.equals(row.getBoolean("agent_gone"))) {
            return "agent_deleted";
        }
        if (Boolean.TRUE.equals(row.getBoolean("caller_id_gone"))) {
            return "caller_id_deleted";
        }
        return null;
    }

    @Override
    public Uni<String> send(Row row, TwilioCredentials credentials) {
        UUID id = row.getUUID("id");
        var request = CallRequest.of(row.getString("to_number"), row.getString("from_number"),
                urls.voiceOutbound(id.toString()))
                .withStatusCallback(urls.voiceStatus(id.toString()), "POST", CALL_EVENTS);
        if ("on".equals(row.getString("recording"))) {
            request = request.withRecording(urls.recordingStatus(), RECORDING_EVENTS);
        }
        String machineDetection = row.getString("machine_detection");
        if (machineDetection != null) {
            // A message waits for the greeting's end, so it is left after the beep; a hang-up needs no wait.
            request = request.withAsyncMachineDetection("message".equals(machineDetection) ? "DetectMessageEnd"
                    : "Enable", urls.voiceAmd(id.toString()));
        }
        LOG.infof("outbound call %s: placing to %s (attempt %d)", id, PhoneNumbers.redact(row.getString("to_number")),
                row.getInteger("attempts"));
        return twilio.createCall(credentials, request).map(TwilioCall::sid);
    }

    @Override
    public Uni<Void> created(UUID id, String sid) {
        LOG.infof("outbound call %s: placed as %s", id, sid);
        return repository.placed(id, sid);
    }

    @Override
    public boolean searchesTwilio() {
        return true;
    }

    @Override
    public Uni<String> adopt(Row row, TwilioCredentials credentials) {
        var filter = new CallFilter(row.getString("to_number"), row.getString("from_number"), null, null,
                RECONCILE_LIST_LIMIT);
        OffsetDateTime notBefore = createdNotBefore(row.getOffsetDateTime("attempted_at"));
        return twilio.listCalls(credentials, filter)
                .chain(calls -> repository.adopt(row.getUUID("id"), calls.stream()
                        .filter(c -> c.direction() == null || c.direction().startsWith("outbound"))
                        .filter(c -> c.parentCallSid() == null)
                        .filter(c -> createdInTime(c, notBefore))
                        .map(TwilioCall::sid).toList()));
    }

    @Override
    public int resendsAfterGrace() {
        return 1;
    }

    @Override
    public String unconfirmedError() {
        return "Twilio did not confirm the call twice and it could not be found; not placed again";
    }

    /**
     * The earliest creation time a call made by this row's latest create can have: Twilio reports it to the second,
     * and its clock may differ from the database's by up to {@code switchboard.outbound.clock-skew}. Null for a row
     * claimed before attempts were timed, which is matched on its numbers alone.
     */
    private OffsetDateTime createdNotBefore(OffsetDateTime attemptedAt) {
        return attemptedAt == null ? null
                : attemptedAt.truncatedTo(ChronoUnit.SECONDS).minus(config.clockSkew());
    }

    private static boolean createdInTime(TwilioCall call, OffsetDateTime notBefore) {
        return notBefore == null || call.dateCreated() == null || !call.dateCreated().isBefore(notBefore);
    }
}
