package dev.s3scanner.lister.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.s3scanner.core.store.CachedProgress;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobProgress;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.store.StoreException;
import dev.s3scanner.core.store.StoredFinding;
import dev.s3scanner.lister.ListingStarter;
import dev.s3scanner.lister.ListingStarter.ListingStartException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API, as one function from an API Gateway HTTP API request (payload format 2.0) to its
 * response: routing, request checks, the endpoints and the error mapping. The Lambda handler
 * ({@code dev.s3scanner.lister.ApiHandler}) and {@code scanner serve} both call {@link #handle}, so
 * the same code answers in AWS and on a laptop.
 *
 * <p>Endpoints ({@link Route}; shapes in {@code openapi.json}): {@code POST /scan},
 * {@code GET /jobs/{job_id}[?real_time=true]}, {@code DELETE /jobs/{job_id}},
 * {@code GET /results?job_id=&bucket=&key=&detector=&limit=&cursor=}, {@code GET /openapi.json}.
 *
 * <p>Errors are {@code {"error": {"code", "message", "request_id"}}} ({@link ErrorCode}): a 4xx for
 * every bad input, 503 when the database or the listing service is unreachable, and 500 only for
 * an unexpected fault, with the request id and no internals (the fault is logged with the id).
 * Nothing here opens a database connection before a request needs one.
 */
public final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DETECTOR_ID = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final String RETRY_AFTER_SECONDS = "5";
    /** Default page size of {@code GET /results}. */
    public static final int DEFAULT_LIMIT = 100;
    /** Largest page size of {@code GET /results}. */
    public static final int MAX_LIMIT = 1000;
    /** Longest {@code Idempotency-Key}, in characters. */
    public static final int MAX_IDEMPOTENCY_KEY = 255;

    private final Supplier<JobStore> store;
    private final ListingStarter starter;
    private final AllowedBuckets allowed;
    private final ResultsCursor cursors;
    private final boolean inventoryConfigured;
    private volatile byte[] openApi;

    /**
     * @param store   the job store; called only when a request needs the database, so a lazy
     *                supplier keeps start-up free of connections. It may throw
     *                {@link DatabaseUnavailableException}
     * @param starter starts listing new jobs
     * @param allowed the buckets this deployment may scan
     * @param cursors makes and checks result cursors
     */
    public Api(Supplier<JobStore> store, ListingStarter starter, AllowedBuckets allowed, ResultsCursor cursors) {
        this(store, starter, allowed, cursors, false);
    }

    /**
     * @param store               as above
     * @param starter             as above
     * @param allowed             as above
     * @param cursors             as above
     * @param inventoryConfigured whether S3 Inventory reports are configured (the deployment's inventory
     *                            mode: {@code SCANNER_INVENTORY_BUCKET}); without it a scan with
     *                            {@code "source": "inventory"} is refused with 400 {@code invalid_field}
     */
    public Api(Supplier<JobStore> store, ListingStarter starter, AllowedBuckets allowed, ResultsCursor cursors,
               boolean inventoryConfigured) {
        this.inventoryConfigured = inventoryConfigured;
        this.store = Objects.requireNonNull(store, "store");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
    }

    /**
     * Answers one request. Never throws: every failure becomes an error response.
     *
     * @param event the API Gateway HTTP API (payload 2.0) event
     * @return the response (JSON body, {@code X-Request-Id} header)
     */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        String requestId = requestId(event);
        try {
            return answer(event, requestId);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("request {}: could not write the response", requestId, e);
            return APIGatewayV2HTTPResponse.builder().withStatusCode(500)
                    .withHeaders(Map.of("Content-Type", "application/json", "X-Request-Id", requestId))
                    .withBody("{\"error\":{\"code\":\"internal_error\",\"message\":\"an unexpected error occurred\"}}")
                    .withIsBase64Encoded(false).build();
        }
    }

    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, String requestId) {
        try {
            return route(event, requestId);
        } catch (ApiException e) {
            return error(requestId, e.code(), e.getMessage(), e.headers());
        } catch (DatabaseUnavailableException e) {
            LOG.warn("request {}: database unavailable: {}", requestId, e.getMessage());
            return databaseUnavailable(requestId);
        } catch (StoreException e) {
            if (unavailable(e)) {
                LOG.warn("request {}: database unavailable: {}", requestId, e.getMessage());
                return databaseUnavailable(requestId);
            }
            return internalError(requestId, e);
        } catch (RuntimeException | StackOverflowError e) {
            return internalError(requestId, e);
        }
    }

    private APIGatewayV2HTTPResponse route(APIGatewayV2HTTPEvent event, String requestId) {
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        String method = ctx != null && ctx.getHttp() != null && ctx.getHttp().getMethod() != null
                ? ctx.getHttp().getMethod().toUpperCase(Locale.ROOT) : "";
        String path = path(event);
        Route route = null;
        List<String> allowedMethods = new ArrayList<>();
        for (Route r : Route.values()) {
            if (r.matches(path)) {
                allowedMethods.add(r.method());
                if (r.method().equals(method)) {
                    route = r;
                }
            }
        }
        if (route == null) {
            if (allowedMethods.isEmpty()) {
                throw new ApiException(ErrorCode.ROUTE_NOT_FOUND, "no endpoint at " + QueryParameters.shorten(path)
                        + "; see GET /openapi.json");
            }
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, QueryParameters.shorten(path) + " does not take "
                    + QueryParameters.shorten(method) + "; allowed: " + String.join(", ", allowedMethods),
                    Map.of("Allow", String.join(", ", allowedMethods)));
        }
        QueryParameters query = QueryParameters.parse(event.getRawQueryString(), route.queryParameters());
        return switch (route) {
            case START_SCAN -> startScan(event, requestId);
            case GET_JOB -> getJob(segment(path, 2), query, requestId);
            case CANCEL_JOB -> cancelJob(segment(path, 2), requestId);
            case GET_RESULTS -> getResults(query, requestId);
            case GET_OPENAPI -> respond(200, openApi(), requestId, Map.of());
        };
    }

    // ------------------------------------------------------------------ POST /scan

    private APIGatewayV2HTTPResponse startScan(APIGatewayV2HTTPEvent event, String requestId) {
        ScanRequest request = ScanRequest.parse(body(event));
        if (!allowed.allows(request.bucket())) {
            throw new ApiException(ErrorCode.BUCKET_NOT_ALLOWED, "bucket '" + request.bucket()
                    + "' is not one this deployment may scan (SCANNER_ALLOWED_BUCKETS)");
        }
        if (request.source().equals("inventory") && !inventoryConfigured) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "field 'source' is 'inventory' but this deployment has no"
                    + " S3 Inventory reports configured (inventory mode is off: SCANNER_INVENTORY_BUCKET is not set)");
        }
        String idempotencyKey = idempotencyKey(header(event, "idempotency-key"));
        String options = request.options().toString();
        JobStore jobs = store.get();
        UUID newId = UUID.randomUUID();
        Job job = jobs.createJob(new NewJob(newId, request.bucket(), request.prefix(), request.source(),
                request.bucket(), options, idempotencyKey));
        boolean replay = !job.jobId().equals(newId);
        if (replay && !sameRequest(job, request, options)) {
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + idempotencyKey
                    + "' was already used for job " + job.jobId() + " with a different request; use a new key");
        }
        if (job.status() == JobStatus.LISTING) {
            try {
                starter.startListing(job);
            } catch (ListingStartException e) {
                LOG.warn("request {}: job {}: {}", requestId, job.jobId(), e.getMessage(), e);
                if (idempotencyKey == null) {
                    jobs.failJob(job.jobId(), "could not start listing: " + e.getMessage());
                    throw new ApiException(ErrorCode.LISTING_NOT_STARTED, "the listing service did not accept job "
                            + job.jobId() + ", which is marked failed; retry the request (with an Idempotency-Key "
                            + "header, a retry can never create two jobs)", Map.of("Retry-After", RETRY_AFTER_SECONDS));
                }
                throw new ApiException(ErrorCode.LISTING_NOT_STARTED, "job " + job.jobId()
                        + " is recorded but its listing could not be started yet; retry the request with the same "
                        + "Idempotency-Key", Map.of("Retry-After", RETRY_AFTER_SECONDS));
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", "/jobs/" + job.jobId());
        if (replay) {
            headers.put("Idempotent-Replayed", "true");
        }
        return respond(202, JobJson.summary(job), requestId, headers);
    }

    private static boolean sameRequest(Job job, ScanRequest request, String options) {
        try {
            JsonNode stored = JobJson.JSON.readTree(job.optionsJson());
            return job.bucket().equals(request.bucket()) && job.prefix().equals(request.prefix())
                    && job.source().equals(request.source()) && stored.equals(JobJson.JSON.readTree(options));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * The {@code Idempotency-Key} header (IETF draft "The Idempotency-Key HTTP Header Field"): a
     * structured-field string, so surrounding double quotes are removed; then 1–255 visible ASCII
     * characters or spaces.
     */
    private static String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        String key = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1) : header;
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY) {
            throw new ApiException(ErrorCode.INVALID_IDEMPOTENCY_KEY, "the Idempotency-Key header must be 1 to "
                    + MAX_IDEMPOTENCY_KEY + " characters, was " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new ApiException(ErrorCode.INVALID_IDEMPOTENCY_KEY,
                        "the Idempotency-Key header may contain only visible ASCII characters and spaces");
            }
        }
        return key;
    }

    // ------------------------------------------------------------------ GET /jobs/{id}

    private APIGatewayV2HTTPResponse getJob(String rawId, QueryParameters query, String requestId) {
        UUID jobId = jobId(rawId, "the job id in the path");
        boolean realTime = bool(query, "real_time");
        JobStore jobs = store.get();
        Job job = jobs.findJob(jobId).orElseThrow(() -> notFound(jobId));
        JobProgress live = jobs.liveProgress(jobId).orElseThrow(() -> notFound(jobId));
        CachedProgress cached = realTime ? null : usableCache(jobs.cachedProgress(jobId).orElse(null), job);
        return respond(200, JobJson.detail(job, live, cached), requestId, Map.of());
    }

    /**
     * The cached figures when they can stand for the job (cases/17): not when the job is absent
     * from the view or the view saw no object of it yet (a new job would read "0 of 0"), and not
     * when the job finished after the refresh (its final figures never change, so read them live).
     */
    private static CachedProgress usableCache(CachedProgress cached, Job job) {
        if (cached == null || cached.refreshedAt() == null || cached.count("listed") == 0) {
            return null;
        }
        if (job.finishedAt() != null && cached.refreshedAt().isBefore(job.finishedAt())) {
            return null;
        }
        return cached;
    }

    // ------------------------------------------------------------------ DELETE /jobs/{id}

    private APIGatewayV2HTTPResponse cancelJob(String rawId, String requestId) {
        UUID jobId = jobId(rawId, "the job id in the path");
        JobStore jobs = store.get();
        jobs.findJob(jobId).orElseThrow(() -> notFound(jobId));
        jobs.cancelJob(jobId);
        Job job = jobs.findJob(jobId).orElseThrow(() -> notFound(jobId));
        if (job.status() != JobStatus.CANCELLED) {
            throw new ApiException(ErrorCode.JOB_NOT_CANCELLABLE, "job " + jobId + " has already "
                    + job.status().dbValue() + "; only a job that is listing or processing can be cancelled");
        }
        return respond(202, JobJson.summary(job), requestId, Map.of());
    }

    // ------------------------------------------------------------------ GET /results

    private APIGatewayV2HTTPResponse getResults(QueryParameters query, String requestId) {
        String jobText = query.get("job_id");
        UUID jobId = jobText == null ? null : jobId(jobText, "query parameter 'job_id'");
        String bucket = query.get("bucket");
        if (bucket != null) {
            BucketNames.check("query parameter 'bucket'", bucket);
        }
        if (jobId == null && bucket == null) {
            throw new ApiException(ErrorCode.MISSING_QUERY_PARAMETER, "give job_id or bucket (or both)");
        }
        String key = query.get("key");
        if (key != null && key.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw new ApiException(ErrorCode.INVALID_QUERY_PARAMETER,
                    "query parameter 'key' is longer than S3's 1,024-byte key limit");
        }
        String detector = query.get("detector");
        if (detector != null && !DETECTOR_ID.matcher(detector).matches()) {
            throw new ApiException(ErrorCode.INVALID_QUERY_PARAMETER, "query parameter 'detector' must be a detector id "
                    + "such as us_ssn or a custom detector name ([a-z][a-z0-9_.-]{0,63}), was '"
                    + QueryParameters.shorten(detector) + "'");
        }
        int limit = limit(query.get("limit"));
        String cursor = query.get("cursor");
        ResultsCursor.Filters filters = new ResultsCursor.Filters(jobId, bucket, key, detector);
        JobStore jobs = store.get();
        long after = cursor == null ? 0 : cursors.decode(cursor, filters);
        if (jobId != null && jobs.findJob(jobId).isEmpty()) {
            throw notFound(jobId);
        }
        List<StoredFinding> rows = jobs.findingsPage(jobId, bucket, after, key, detector, limit + 1);
        List<StoredFinding> page = rows.subList(0, Math.min(limit, rows.size()));
        ObjectNode body = JobJson.JSON.createObjectNode();
        ArrayNode findings = body.putArray("findings");
        page.forEach(f -> findings.add(JobJson.finding(f)));
        long last = page.isEmpty() ? after : page.get(page.size() - 1).findingId();
        body.put("next_cursor", cursors.encode(last, filters));
        body.put("has_more", rows.size() > limit);
        return respond(200, body, requestId, Map.of());
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_LIMIT) {
            throw new ApiException(ErrorCode.INVALID_LIMIT, "query parameter 'limit' must be an integer from 1 to "
                    + MAX_LIMIT + ", was '" + QueryParameters.shorten(text) + "'");
        }
        return Integer.parseInt(text);
    }

    // ------------------------------------------------------------------ helpers

    private static UUID jobId(String text, String where) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new ApiException(ErrorCode.INVALID_JOB_ID, where + " must be a job id (a UUID such as "
                    + "3f2b8c1e-0d4a-4e7b-9a51-2c6d8e9f0a1b), was '" + QueryParameters.shorten(text) + "'");
        }
        return UUID.fromString(text);
    }

    private static boolean bool(QueryParameters query, String name) {
        String v = query.get(name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw new ApiException(ErrorCode.INVALID_QUERY_PARAMETER, "query parameter '" + name
                + "' must be true or false, was '" + QueryParameters.shorten(v) + "'");
    }

    private static ApiException notFound(UUID jobId) {
        return new ApiException(ErrorCode.JOB_NOT_FOUND, "no job " + jobId);
    }

    private static String segment(String path, int index) {
        return path.split("/", -1)[index];
    }

    /** The request path without the stage prefix API Gateway adds for a named stage. */
    private static String path(APIGatewayV2HTTPEvent event) {
        String path = event.getRawPath() == null ? "/" : event.getRawPath();
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        String stage = ctx == null ? null : ctx.getStage();
        if (stage != null && !stage.isEmpty() && !stage.equals("$default")) {
            String prefix = "/" + stage;
            if (path.startsWith(prefix + "/")) {
                path = path.substring(prefix.length());
            }
        }
        return path;
    }

    private static String header(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (event.getIsBase64Encoded()) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.INVALID_JSON, "the body is not valid base64 although the request says so");
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static String requestId(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext ctx = event == null ? null : event.getRequestContext();
        String id = ctx == null ? null : ctx.getRequestId();
        return id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
    }

    /**
     * Whether a database error means "unavailable, retry later": a lost or refused connection
     * (SQLSTATE class 08), insufficient resources such as too many connections (class 53), or
     * the server shutting down or not accepting connections yet (57P01–57P03).
     */
    static boolean unavailable(StoreException e) {
        if (e.isConnectionFailure()) {
            return true;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
                    return true;
                }
            }
        }
        return false;
    }

    private byte[] openApi() {
        byte[] doc = openApi;
        if (doc == null) {
            try (InputStream in = Api.class.getResourceAsStream("/openapi.json")) {
                if (in == null) {
                    throw new IllegalStateException("openapi.json is missing from the classpath");
                }
                doc = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            openApi = doc;
        }
        return doc;
    }

    // ------------------------------------------------------------------ responses

    private APIGatewayV2HTTPResponse databaseUnavailable(String requestId) {
        return error(requestId, ErrorCode.DATABASE_UNAVAILABLE, "the database cannot be reached right now; retry in a "
                + "few seconds", Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    private static APIGatewayV2HTTPResponse internalError(String requestId, Throwable e) {
        LOG.error("request {}: unexpected error", requestId, e);
        return error(requestId, ErrorCode.INTERNAL_ERROR, "an unexpected error occurred; quote request id " + requestId
                + " when reporting it", Map.of());
    }

    private static APIGatewayV2HTTPResponse error(String requestId, ErrorCode code, String message,
                                                  Map<String, String> headers) {
        ObjectNode body = JobJson.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code.code());
        error.put("message", printable(message));
        error.put("request_id", requestId);
        return respond(code.status(), body, requestId, headers);
    }

    /** The message with lone surrogates replaced (they cannot be written as UTF-8) and cut at 2,000 characters. */
    private static String printable(String message) {
        String m = message == null ? "" : message;
        StringBuilder sb = new StringBuilder(Math.min(m.length(), 2000));
        for (int i = 0; i < m.length() && sb.length() < 2000; i++) {
            char c = m.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < m.length() && Character.isLowSurrogate(m.charAt(i + 1))) {
                sb.append(c).append(m.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static APIGatewayV2HTTPResponse respond(int status, ObjectNode body, String requestId,
                                                    Map<String, String> headers) {
        try {
            return respond(status, JobJson.JSON.writeValueAsBytes(body), requestId, headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response body", e);
        }
    }

    private static APIGatewayV2HTTPResponse respond(int status, byte[] body, String requestId,
                                                    Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Cache-Control", "no-store");
        h.put("X-Request-Id", requestId);
        h.putAll(headers);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(h)
                .withBody(new String(body, StandardCharsets.UTF_8))
                .withIsBase64Encoded(false)
                .build();
    }
}
