package io.switchboard.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One stored Twilio callback as the API shows it: {@code params} holds every parameter, each with all its values. */
public record EventView(String type, String status, Integer sequenceNumber, Instant receivedAt,
        Map<String, List<String>> params) {

    public static EventView of(Row row) {
        Object raw = row.getValue("params");
        JsonObject json = raw instanceof JsonObject object ? object : new JsonObject(String.valueOf(raw));
        var params = new LinkedHashMap<String, List<String>>();
        for (String name : json.fieldNames()) {
            Object value = json.getValue(name);
            var values = new ArrayList<String>();
            if (value instanceof JsonArray array) {
                array.forEach(v -> values.add(v == null ? null : String.valueOf(v)));
            } else if (value != null) {
                values.add(String.valueOf(value));
            }
            params.put(name, values);
        }
        return new EventView(row.getString("type"), row.getString("status"), row.getInteger("sequence_number"),
                row.getOffsetDateTime("received_at").toInstant(), params);
    }
}
