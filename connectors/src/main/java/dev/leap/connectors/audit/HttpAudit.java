package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The auditor's questions put to a running service over its HTTP API, with the auditor's token. The
 * answers are read into the same records {@link LogAudit} gives.
 */
public final class HttpAudit implements Audit {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer service may say more
            .build();

    private final URI base;
    private final String token;
    private final String tokenSource;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param tokenSource where the token came from, to say so if the service refuses it */
    public HttpAudit(URI base, String token, String tokenSource) {
        this.base = base;
        this.token = token;
        this.tokenSource = tokenSource;
    }

    /** The service answered with an error, or could not be reached; the message says which and why. */
    public static final class Failure extends RuntimeException {
        private final int status;

        Failure(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status, or 0 if the service could not be reached. */
        public int status() {
            return status;
        }
    }

    @Override
    public TimelinePage timeline(long before, int limit) {
        return get("/api/audit/turns", query("before", before == Long.MAX_VALUE ? null : before, "limit", limit),
                TimelinePage.class);
    }

    @Override
    public TurnAccount turn(String idOrPrefix, int changesFrom, int changesLimit) {
        return get("/api/audit/turns/" + segment(idOrPrefix), query("changesFrom", changesFrom, "changesLimit", changesLimit),
                TurnAccount.class);
    }

    @Override
    public TurnAccount revert(String idOrPrefix) {
        HttpRequest request = request("/api/audit/turns/" + segment(idOrPrefix) + "/revert", Map.of())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return read(send(request), TurnAccount.class);
    }

    @Override
    public LogPage log(LogQuery query) {
        Map<String, Object> parameters = query("from", query.from(), "limit", query.limit(),
                "direction", query.direction().name().toLowerCase(java.util.Locale.ROOT), "type", query.type(),
                "stream", query.stream(), "turn", query.turn(), "since", query.since(), "until", query.until());
        return get("/api/log", parameters, LogPage.class);
    }

    @Override
    public ChainReport verify() {
        return get("/api/audit/verify", Map.of(), ChainReport.class);
    }

    @Override
    public RecordsPage records(PointInLog at, String collection, int offset, int limit) {
        return get("/api/audit/records", query("at", text(at), "collection", collection, "offset", offset, "limit", limit),
                RecordsPage.class);
    }

    @Override
    public RecordDiff diff(PointInLog from, PointInLog to, int offset, int limit) {
        return get("/api/audit/records/changes",
                query("from", text(from), "to", text(to), "offset", offset, "limit", limit), RecordDiff.class);
    }

    @Override
    public HistoryPage history(String recordId, long fromRevision, int limit) {
        return get("/api/audit/records/" + segment(recordId) + "/history", query("from", fromRevision, "limit", limit),
                HistoryPage.class);
    }

    @Override
    public long export(long from, long to, OutputStream out) {
        HttpRequest request = request("/api/audit/export", query("from", from, "to", to == Long.MAX_VALUE ? null : to))
                .GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw failure(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            long lines = 0;
            byte[] buffer = new byte[64 * 1024];
            for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
                out.write(buffer, 0, read);
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
            out.flush();
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("the export from " + base + " broke off: " + e.getMessage(), e);
        }
    }

    private <T> T get(String path, Map<String, Object> parameters, Class<T> type) {
        return read(send(request(path, parameters).GET().build()), type);
    }

    private HttpRequest.Builder request(String path, Map<String, Object> parameters) {
        String query = parameters.entrySet().stream()
                .filter(entry -> entry.getValue() != null)
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue().toString(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(base.resolve(path + (query.isEmpty() ? "" : "?" + query)))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(10));
    }

    private HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private <B> HttpResponse<B> send(HttpRequest request, HttpResponse.BodyHandler<B> body) {
        try {
            return http.send(request, body);
        } catch (ConnectException e) {
            throw new Failure(0, "Leap is not running at " + base.resolve("/") + ". Start it with ./leap, or read the log "
                    + "directly with --data-dir (or --kurrentdb).");
        } catch (IOException e) {
            throw new Failure(0, "could not reach Leap at " + base.resolve("/") + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(0, "interrupted while waiting for Leap");
        }
    }

    private <T> T read(HttpResponse<String> response, Class<T> type) {
        if (response.statusCode() != 200) {
            throw failure(response.statusCode(), response.body());
        }
        try {
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new Failure(response.statusCode(), "Leap answered something that is not " + type.getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    private Failure failure(int status, String body) {
        if (status == 401) {
            return new Failure(status, "Leap at " + base.resolve("/") + " refused the auditor token (" + tokenSource
                    + "). Use the token in that Leap's data directory (auditor-token), or set LEAP_HTTP_AUDITOR_TOKEN.");
        }
        String error;
        try {
            JsonNode answer = JSON.readTree(body);
            error = answer.path("error").asText(body);
        } catch (IOException notJson) {
            error = body;
        }
        return new Failure(status, error.isBlank() ? "Leap answered " + status : error);
    }

    private static String text(PointInLog point) {
        return switch (point) {
            case null -> null;
            case PointInLog.Position position -> position.position() == Long.MAX_VALUE ? null : Long.toString(position.position());
            case PointInLog.Time time -> time.time().toString();
        };
    }

    private static String segment(String text) {
        return URLEncoder.encode(text == null ? "" : text.strip(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Name, value, name, value...: the parameters in order; null values are left out. */
    private static Map<String, Object> query(Object... pairs) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.put((String) pairs[i], pairs[i + 1]);
        }
        return parameters;
    }
}
