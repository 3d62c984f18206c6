package dev.s3scanner.worker;

import dev.s3scanner.core.detect.ContentScanner;
import dev.s3scanner.core.detect.ScanResult;
import dev.s3scanner.core.message.ObjectRef;
import dev.s3scanner.core.store.ObjectReason;
import dev.s3scanner.core.store.ObjectResult;
import dev.s3scanner.core.store.ObjectState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Fetches one object with a streamed GetObject and scans it, turning every outcome S3 can give
 * into a terminal state with a reason:
 * <ul>
 *   <li>404 {@code NoSuchKey}/{@code NoSuchVersion}: skipped, {@code deleted};</li>
 *   <li>412 {@code PreconditionFailed} on {@code If-Match} with the listed ETag, or a response whose
 *       ETag differs from the listed one: skipped, {@code changed} (the rule of case 08: read only
 *       the version that was listed);</li>
 *   <li>403 {@code InvalidObjectState} (archive tier): skipped, {@code archived};</li>
 *   <li>403 {@code AccessDenied}: failed, {@code access_denied_kms} when HeadObject shows SSE-KMS
 *       (the role may read the object but not decrypt it), else {@code access_denied};</li>
 *   <li>larger than the size limit: skipped, {@code too_large}, without a GET;</li>
 *   <li>binary, unsupported, archive bounds exceeded: skipped with that reason; damaged: failed, {@code corrupt}.</li>
 * </ul>
 * Throttling, 5xx (after the SDK's retries) and broken connections throw
 * {@link RetryableObjectException}. The response stream is always closed, and aborted when the
 * scan stops before its end, so no connection is left half-read.
 */
public final class ObjectScanner {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectScanner.class);

    private final S3Client s3;
    private final long maxObjectBytes;

    /**
     * @param s3             shared S3 client
     * @param maxObjectBytes objects larger than this are skipped as too large
     */
    public ObjectScanner(S3Client s3, long maxObjectBytes) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.maxObjectBytes = maxObjectBytes;
    }

    /**
     * Scans one object.
     *
     * @param bucket  bucket
     * @param object  the object as listed
     * @param scanner the job's content scanner
     * @return a terminal result
     * @throws RetryableObjectException when the object should be tried again later
     */
    public ObjectResult scan(String bucket, ObjectRef object, ContentScanner scanner) throws RetryableObjectException {
        if (object.size() > maxObjectBytes) {
            return ObjectResult.skipped(object.key(), ObjectReason.TOO_LARGE,
                    object.size() + " bytes exceeds the limit of " + maxObjectBytes);
        }
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(object.key());
        if (object.versionId() != null) {
            request.versionId(object.versionId());
        } else if (object.etag() != null) {
            request.ifMatch(object.etag());
        }
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request.build())) {
            String readEtag = in.response().eTag();
            if (object.versionId() == null && object.etag() != null && readEtag != null && !readEtag.equals(object.etag())) {
                // a server that ignored If-Match: the object read is not the one listed
                in.abort();
                return ObjectResult.skipped(object.key(), ObjectReason.CHANGED, "ETag no longer " + object.etag());
            }
            ScanResult result;
            try {
                result = scanner.scan(in);
            } catch (IOException | RuntimeException e) {
                in.abort();
                throw e;
            }
            if (in.read() != -1) {
                in.abort(); // the scan stopped early (binary, limits): do not drain the rest
            }
            return toResult(object.key(), result);
        } catch (S3Exception e) {
            return fromS3Error(bucket, object, e);
        } catch (IOException | UncheckedIOException | SdkClientException e) {
            throw new RetryableObjectException("reading s3://" + bucket + "/" + object.key() + " failed: " + e.getMessage(), e);
        }
    }

    private static ObjectResult toResult(String key, ScanResult r) {
        return switch (r.outcome()) {
            case SCANNED -> ObjectResult.succeeded(key, r.findings(), r.findingCount(), r.bytesRead());
            case BINARY -> ObjectResult.skipped(key, ObjectReason.BINARY, r.detail());
            // e.g. an encrypted zip entry: the readable entries' findings are kept
            case UNSUPPORTED -> new ObjectResult(key, ObjectState.SKIPPED, ObjectReason.UNSUPPORTED, r.detail(),
                    r.findings(), r.findingCount(), r.bytesRead());
            case ARCHIVE_LIMIT -> new ObjectResult(key, ObjectState.SKIPPED, ObjectReason.ARCHIVE_LIMIT, r.detail(),
                    r.findings(), r.findingCount(), r.bytesRead());
            case CORRUPT -> new ObjectResult(key, ObjectState.FAILED, ObjectReason.CORRUPT, r.detail(), r.findings(),
                    r.findingCount(), r.bytesRead());
        };
    }

    private ObjectResult fromS3Error(String bucket, ObjectRef object, S3Exception e) throws RetryableObjectException {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        int status = e.statusCode();
        if (status == 404 || "NoSuchKey".equals(code) || "NoSuchVersion".equals(code)) {
            return ObjectResult.skipped(object.key(), ObjectReason.DELETED, "deleted since listing (" + code + ")");
        }
        if (status == 412 || "PreconditionFailed".equals(code)) {
            return ObjectResult.skipped(object.key(), ObjectReason.CHANGED, "ETag no longer " + object.etag());
        }
        if ("InvalidObjectState".equals(code)) {
            return ObjectResult.skipped(object.key(), ObjectReason.ARCHIVED, "in an archive tier (InvalidObjectState)");
        }
        if (status == 403) {
            return accessDenied(bucket, object, e);
        }
        if (status >= 500 || status == 429 || "SlowDown".equals(code) || e.isThrottlingException()) {
            throw new RetryableObjectException("GetObject s3://" + bucket + "/" + object.key() + ": " + status + " " + code, e);
        }
        return ObjectResult.failed(object.key(), ObjectReason.ERROR, "GetObject: " + status + " " + code);
    }

    private ObjectResult accessDenied(String bucket, ObjectRef object, S3Exception denied) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(object.key()).versionId(object.versionId()));
            if (head.serverSideEncryption() == ServerSideEncryption.AWS_KMS
                    || head.serverSideEncryption() == ServerSideEncryption.AWS_KMS_DSSE) {
                return ObjectResult.failed(object.key(), ObjectReason.ACCESS_DENIED_KMS,
                        "kms:Decrypt denied for key " + head.ssekmsKeyId());
            }
        } catch (S3Exception e) {
            LOG.debug("HeadObject after AccessDenied also failed for {}: {}", object.key(), e.statusCode());
        }
        String message = denied.awsErrorDetails() == null ? "" : denied.awsErrorDetails().errorMessage();
        if (message != null && message.contains("kms:")) {
            return ObjectResult.failed(object.key(), ObjectReason.ACCESS_DENIED_KMS, message);
        }
        return ObjectResult.failed(object.key(), ObjectReason.ACCESS_DENIED, "GetObject: 403 AccessDenied");
    }
}
