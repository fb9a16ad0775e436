package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.outbound.DispatchState;
import io.switchboard.provider.ProviderPace;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The reads of outbound call batches and their progress, scoped to the caller's organization. */
@ApplicationScoped
class CallBatchRepository {

    /**
     * A batch row as stored, before its calls are counted, with the calls per second its provider sets (null for the
     * configured default).
     */
    record Batch(UUID id, UUID agentId, int size, OffsetDateTime createdAt, OffsetDateTime pausedAt,
            OffsetDateTime canceledAt, CallingWindow callingWindow, CallRetry retry, Double callsPerSecond) {
    }

    /**
     * What the calls of one batch show: by status, by attempt and status, those withheld by their skip reason,
     * unsent, and those sent over the last {@code recentSeconds} (a minute, or since the first of them if that is
     * later).
     */
    record Progress(Map<String, Long> counts, Map<Integer, Map<String, Long>> byAttempt, Map<String, Long> skipped,
            long unsent, long recentSent, double recentSeconds) {

        static final Progress NONE = new Progress(Map.of(), Map.of(), Map.of(), 0, 0, 1);

        double recentPerSecond() {
            return recentSent / recentSeconds;
        }
    }

    // The provider is the one of the batch's calls (each carries it from acceptance), not of its caller-ID number,
    // which may have been deleted since. With from "auto" the calls may be of several accounts; one of them stands
    // for all.
    private static final String BATCH_COLUMNS = """
            id, agent_id, size, created_at, paused_at, canceled_at, to_char(window_start, 'HH24:MI') as window_start,
            to_char(window_end, 'HH24:MI') as window_end, window_days, retry_on, retry_max_attempts,
            retry_after_seconds, %s as calls_per_second""".formatted(
            ProviderPace.callsPerSecond("""
                    (select c.provider_id from call c
                      where c.batch_id = outbound_batch.id and c.organization_id = outbound_batch.organization_id
                      limit 1)"""));

    // attempted_at is set at every claim, so the last minute's claims are the batch's recent pace.
    private static final String PROGRESS = DispatchState.inline("""
            select batch_id, attempt, status, skip_reason, count(*) as calls,
                   count(*) filter (where dispatch_state <> {done}) as unsent,
                   count(*) filter (where attempted_at > now() - interval '60 seconds') as recent,
                   extract(epoch from now() - min(attempted_at) filter (
                       where attempted_at > now() - interval '60 seconds'))::float8 as recent_seconds
              from call
             where organization_id = $1 and batch_id = any($2::uuid[])
             group by batch_id, attempt, status, skip_reason""");

    Uni<Batch> find(SqlClient db, UUID organizationId, UUID batchId) {
        return db
                .preparedQuery(
                        "select " + BATCH_COLUMNS + " from outbound_batch where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, batchId))
                .map(rows -> rows.iterator().hasNext() ? batch(rows.iterator().next()) : null);
    }

    /** Oldest first, keyset-paged on (created_at, id) like every list. */
    Uni<ListResponse<Batch>> list(SqlClient db, UUID organizationId, PageRequest page) {
        OffsetDateTime after = page.hasCursor() ? page.afterCreatedAt().atOffset(ZoneOffset.UTC) : null;
        return db.preparedQuery("select " + BATCH_COLUMNS + " " + """
                from outbound_batch
                where organization_id = $1 and ($2::timestamptz is null or (created_at, id) > ($2, $3))
                order by created_at, id limit $4""")
                .execute(Tuple.of(organizationId, after, page.afterId(), page.fetchSize()))
                .map(rows -> {
                    var batches = new ArrayList<Batch>();
                    rows.forEach(row -> batches.add(batch(row)));
                    return page.toResponse(batches, b -> b.createdAt().toInstant(), Batch::id);
                });
    }

    /** The progress of each batch named, in one statement; a batch with no calls is absent. */
    Uni<Map<UUID, Progress>> progress(SqlClient db, UUID organizationId, List<UUID> batchIds) {
        if (batchIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery(PROGRESS).execute(Tuple.of(organizationId, batchIds.toArray(UUID[]::new)))
                .map(rows -> {
                    var counts = new HashMap<UUID, Map<String, Long>>();
                    var byAttempt = new HashMap<UUID, Map<Integer, Map<String, Long>>>();
                    var unsent = new HashMap<UUID, Long>();
                    var recent = new HashMap<UUID, Long>();
                    var recentSeconds = new HashMap<UUID, Double>();
                    var skipped = new HashMap<UUID, Map<String, Long>>();
                    for (Row row : rows) {
                        UUID id = row.getUUID("batch_id");
                        counts.computeIfAbsent(id, k -> new LinkedHashMap<>()).merge(row.getString("status"),
                                row.getLong("calls"), Long::sum);
                        byAttempt.computeIfAbsent(id, k -> new TreeMap<>())
                                .computeIfAbsent(row.getInteger("attempt"), k -> new LinkedHashMap<>())
                                .merge(row.getString("status"), row.getLong("calls"), Long::sum);
                        String reason = row.getString("skip_reason");
                        if (reason != null) {
                            skipped.computeIfAbsent(id, k -> new HashMap<>()).merge(reason, row.getLong("calls"),
                                    Long::sum);
                        }
                        unsent.merge(id, row.getLong("unsent"), Long::sum);
                        recent.merge(id, row.getLong("recent"), Long::sum);
                        Double seconds = row.getDouble("recent_seconds");
                        if (seconds != null) {
                            recentSeconds.merge(id, seconds, Math::max);
                        }
                    }
                    var result = new HashMap<UUID, Progress>();
                    for (var entry : counts.entrySet()) {
                        UUID id = entry.getKey();
                        // A claim a moment ago says little of a pace: measured over one second at least.
                        double seconds = Math.min(60, Math.max(1, recentSeconds.getOrDefault(id, 0.0)));
                        result.put(id, new Progress(Map.copyOf(entry.getValue()), byAttempt.get(id),
                                Map.copyOf(skipped.getOrDefault(id, Map.of())), unsent.get(id), recent.get(id),
                                seconds));
                    }
                    return result;
                });
    }

    private static Batch batch(Row row) {
        return new Batch(row.getUUID("id"), row.getUUID("agent_id"), row.getInteger("size"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("paused_at"),
                row.getOffsetDateTime("canceled_at"), window(row),
                CallRetry.of(row.getArrayOfStrings("retry_on"), row.getInteger("retry_max_attempts"),
                        row.getInteger("retry_after_seconds")),
                row.getDouble("calls_per_second"));
    }

    private static CallingWindow window(Row row) {
        String start = row.getString("window_start");
        if (start == null) {
            return null;
        }
        Integer[] days = row.getArrayOfIntegers("window_days");
        return new CallingWindow(start, row.getString("window_end"), CallingWindow.dayNames(days));
    }
}
