package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.db.JsonColumns;
import io.switchboard.outbound.DispatchRepository;
import io.switchboard.outbound.OutboundConfig;
import io.switchboard.tenant.TenantContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Outbound call batches of the caller's organization: each is stored, in one transaction, before the API answers 202;
 * the outbound dispatcher places its calls afterwards, so nothing accepted is lost if this replica stops.
 */
@ApplicationScoped
public class CallBatchService {

    private final OutboundCallRepository repository;
    private final CallBatchRepository batches;
    private final DispatchRepository dispatch;
    private final Pool pool;
    private final TenantContext tenant;
    private final OutboundConfig config;
    private final JsonColumns json;
    private final CallTimeZones timeZones;
    private final CallerIds callerIdChoice;

    CallBatchService(OutboundCallRepository repository, CallBatchRepository batches, DispatchRepository dispatch,
            Pool pool, TenantContext tenant, OutboundConfig config, JsonColumns json, CallTimeZones timeZones,
            CallerIds callerIdChoice) {
        this.callerIdChoice = callerIdChoice;
        this.json = json;
        this.timeZones = timeZones;
        this.repository = repository;
        this.batches = batches;
        this.dispatch = dispatch;
        this.pool = pool;
        this.tenant = tenant;
        this.config = config;
    }

    public Uni<CallBatchView> create(CallBatchRequest request) {
        UUID organization = tenant.requireOrganization();
        UUID agentId = request.validate();
        UUID batchId = UUID.randomUUID();
        var distinct = request.distinctTargets(json);
        var targets = distinct.numbers();
        var ids = new UUID[targets.length];
        var calls = new ArrayList<CallBatchView.QueuedCall>(targets.length);
        for (int i = 0; i < targets.length; i++) {
            ids[i] = UUID.randomUUID();
            calls.add(new CallBatchView.QueuedCall(ids[i], targets[i], "queued"));
        }
        var window = request.callingWindow();
        Uni<List<List<String>>> zones = window == null ? Uni.createFrom().nullItem() : timeZones.of(targets);
        return zones.chain(found -> pool.withTransaction(db -> repository.agentExists(db, organization, agentId)
                .invoke(exists -> {
                    if (!exists) {
                        throw ApiException.notFound("agent");
                    }
                })
                .chain(() -> senders(db, organization, agentId, request.from(), targets))
                .chain(from -> storedZones(db, found)
                        .chain(stored -> repository.insertBatch(db, organization, batchId, agentId, from.batch(),
                                from.perCall(), ids, targets, distinct.parameters(), window, stored, request.retry(),
                                request.storedMachineDetection(), request.voicemail(), now()))
                        .chain(() -> ensurePaces(db, from)))))
                .replaceWith(() -> new CallBatchView(batchId, calls, distinct.duplicatesSkipped()));
    }

    /** The batch's caller ID, and with {@code from: "auto"} each call's own (null otherwise). */
    private record Senders(OutboundCallRepository.CallerId batch, OutboundCallRepository.CallerId[] perCall) {
    }

    /**
     * {@code from} itself, or with none given the agent's oldest number, or with {@code auto} for each target the
     * agent's number in its area code.
     *
     * @throws ApiException 422 {@code from_not_imported} or {@code no_caller_id}
     */
    private Uni<Senders> senders(SqlClient db, UUID organization, UUID agentId, String from, String[] targets) {
        if (CallBatchRequest.AUTO_FROM.equals(from)) {
            return repository.findAgentNumbers(db, organization, agentId).chain(numbers -> {
                if (numbers.isEmpty()) {
                    throw noCallerId();
                }
                return callerIdChoice.choose(targets, numbers.stream().map(OutboundCallRepository.CallerId::number)
                        .toList())
                        .map(chosen -> {
                            var perCall = new OutboundCallRepository.CallerId[chosen.length];
                            for (int i = 0; i < chosen.length; i++) {
                                perCall[i] = numbers.get(chosen[i]);
                            }
                            return new Senders(numbers.get(0), perCall);
                        });
            });
        }
        return repository.findCallerId(db, organization, agentId, from).map(found -> {
            if (found == null && from != null) {
                throw ApiException.unprocessable("from_not_imported",
                        "from is not a phone number imported by this organization");
            }
            if (found == null) {
                throw noCallerId();
            }
            return new Senders(found, null);
        });
    }

    private static ApiException noCallerId() {
        return ApiException.unprocessable("no_caller_id",
                "the agent has no phone number assigned; assign one or pass from");
    }

    /** A pace row for every account the batch's calls are placed in. */
    private Uni<Void> ensurePaces(SqlClient db, Senders from) {
        var accounts = from.perCall() == null ? List.of(from.batch().accountSid())
                : Arrays.stream(from.perCall()).map(OutboundCallRepository.CallerId::accountSid).distinct().toList();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String account : accounts) {
            chain = chain.chain(() -> dispatch.ensurePace(db, OutboundCallRepository.DISPATCH, account));
        }
        return chain;
    }

    /**
     * Each call's zones as stored, separated by spaces: only those PostgreSQL knows, UTC where none is left. Null
     * without a calling window.
     */
    private Uni<String[]> storedZones(SqlClient db, List<List<String>> zones) {
        if (zones == null) {
            return Uni.createFrom().nullItem();
        }
        var distinct = zones.stream().flatMap(List::stream).distinct().toArray(String[]::new);
        return repository.knownZones(db, distinct).map(known -> zones.stream().map(own -> {
            var usable = own.stream().filter(known::contains).toList();
            return usable.isEmpty() ? CallTimeZones.UNKNOWN_FALLBACK : String.join(" ", usable);
        }).toArray(String[]::new));
    }

    /** Null when the batch is not the caller's. */
    public Uni<BatchCancelView> cancel(UUID batchId) {
        UUID organization = tenant.requireOrganization();
        return pool.withTransaction(db -> repository.cancelBatch(db, organization, batchId))
                .map(canceled -> canceled == null ? null : new BatchCancelView(batchId, canceled));
    }

    /** Null when the batch is not the caller's. */
    public Uni<BatchView> find(UUID batchId) {
        UUID organization = tenant.requireOrganization();
        return pool.withConnection(db -> view(db, organization, batchId));
    }

    public Uni<ListResponse<BatchView>> list(PageRequest page) {
        UUID organization = tenant.requireOrganization();
        return pool.withConnection(db -> batches.list(db, organization, page)
                .chain(found -> batches.progress(db, organization, found.items().stream()
                        .map(CallBatchRepository.Batch::id).toList())
                        .map(progress -> found.map(b -> view(b, progress.getOrDefault(b.id(),
                                CallBatchRepository.Progress.NONE))))));
    }

    /**
     * Stops the dispatcher from placing the batch's calls not yet placed; a call being placed at this moment still
     * is. Pausing a paused batch changes nothing. Null when the batch is not the caller's.
     *
     * @throws ApiException 409 when the batch is canceled or has nothing left to place
     */
    public Uni<BatchView> pause(UUID batchId) {
        return change(batchId, true);
    }

    /** Makes a paused batch's waiting calls claimable again; resuming a running batch changes nothing. */
    public Uni<BatchView> resume(UUID batchId) {
        return change(batchId, false);
    }

    private Uni<BatchView> change(UUID batchId, boolean pause) {
        UUID organization = tenant.requireOrganization();
        return pool.withTransaction(db -> repository.lockBatch(db, organization, batchId)
                .chain(state -> {
                    if (state == null) {
                        return Uni.createFrom().nullItem();
                    }
                    if (state.canceled()) {
                        throw ApiException.conflict("batch_canceled", "the batch is canceled");
                    }
                    if (state.unsent() == 0) {
                        throw ApiException.conflict("batch_finished",
                                "every call of the batch was placed or has ended; nothing is left to "
                                        + (pause ? "pause" : "resume"));
                    }
                    return (pause ? repository.pauseBatch(db, organization, batchId)
                            : repository.resumeBatch(db, organization, batchId))
                            .chain(() -> view(db, organization, batchId));
                }));
    }

    private Uni<BatchView> view(SqlClient db, UUID organization, UUID batchId) {
        return batches.find(db, organization, batchId)
                .chain(batch -> batch == null ? Uni.createFrom().nullItem()
                        : batches.progress(db, organization, List.of(batchId))
                                .map(progress -> view(batch, progress.getOrDefault(batchId,
                                        CallBatchRepository.Progress.NONE))));
    }

    /**
     * The estimate takes the batch's pace over the last minute, or, before it has one, the account's allowed pace (its
     * provider's, or the configured default; other batches of the account share it, so it may come out short).
     */
    private BatchView view(CallBatchRepository.Batch batch, CallBatchRepository.Progress progress) {
        String status = batch.canceledAt() != null ? "canceled"
                : progress.unsent() == 0 ? "finished"
                        : batch.pausedAt() != null ? "paused" : "running";
        double allowed = batch.callsPerSecond() != null ? batch.callsPerSecond() : config.callsPerSecond();
        double recent = progress.recentPerSecond();
        Long left = switch (status) {
            case "finished" -> 0L;
            case "running" -> (long) Math.ceil(progress.unsent() / (recent > 0 ? recent : allowed));
            default -> null;
        };
        return new BatchView(batch.id(), batch.agentId(), status, batch.size(), progress.counts(),
                progress.byAttempt(), progress.skipped(), progress.unsent(), new BatchView.Pace(allowed, recent), left,
                batch.callingWindow(), batch.retry(), instant(batch.createdAt()), instant(batch.pausedAt()),
                instant(batch.canceledAt()));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    /** Microseconds, as PostgreSQL stores them, so the 202 shows the createdAt a later read will. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
