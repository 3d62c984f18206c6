package dev.s3scanner.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.message.ObjectRef;
import dev.s3scanner.core.message.ScanTask;
import dev.s3scanner.core.message.ScanTaskCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Sending scan tasks to a real SQS wire-protocol server (ElasticMQ). Partial failures inside a
 * 200 response (case 14) cannot be caused on demand with a real server, so an SDK execution
 * interceptor rewrites real responses to report entries as failed.
 */
class ScanTaskSenderTest {
    private static LocalSqsServer server;
    private static ExecutorService pool;
    private static final UUID JOB = UUID.randomUUID();

    @BeforeAll
    static void start() {
        server = LocalSqsServer.start();
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        server.close();
    }

    private static SqsClient client(ExecutionInterceptor... interceptors) {
        AwsClients.Settings s = AwsClients.Settings.local(null, server.endpoint(), 8);
        return SqsClient.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(s.credentials())
                .endpointOverride(server.endpoint())
                .overrideConfiguration(o -> {
                    for (ExecutionInterceptor i : interceptors) {
                        o.addExecutionInterceptor(i);
                    }
                })
                .build();
    }

    private static List<ScanTask> tasks(int n) {
        List<ScanTask> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ScanTask(1, JOB, "b", List.of(new ObjectRef("key-" + i, null, 1, null))));
        }
        return out;
    }

    private static List<Message> drain(SqsClient sqs, String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
            got.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
        }
    }

    @Test
    void everyTaskArrivesOnceWithTheTenantAsMessageGroup() {
        // given
        SqsClient sqs = client();
        String url = sqs.createQueue(b -> b.queueName("all-arrive")).queueUrl();
        ScanTaskSender sender = new ScanTaskSender(sqs, url, pool, 3, 1);

        // when
        List<ScanTaskSender.Failure> failures = sender.send(tasks(45), "tenant-bucket");

        // then
        assertThat(failures).isEmpty();
        List<Message> received = drain(sqs, url);
        assertThat(received).hasSize(45);
        Set<String> keys = new HashSet<>();
        for (Message m : received) {
            keys.add(ScanTaskCodec.decode(m.body()).objects().get(0).key());
            assertThat(m.attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "tenant-bucket");
        }
        assertThat(keys).hasSize(45);
    }

    @Test
    void batchesStayUnderTheRequestSizeLimit() {
        // given: ten 30 KB tasks are each fine, together over 256 KiB (BatchRequestTooLong)
        List<ScanTask> big = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<ObjectRef> objects = new ArrayList<>();
            for (int k = 0; k < 30; k++) {
                objects.add(new ObjectRef(i + "/" + "x".repeat(990) + k, null, 1, null));
            }
            big.add(new ScanTask(1, JOB, "b", objects));
        }

        // when
        List<List<ScanTask>> batches = ScanTaskSender.batches(big);

        // then
        assertThat(batches).hasSizeGreaterThan(1);
        for (List<ScanTask> batch : batches) {
            assertThat(batch.stream().mapToInt(t -> ScanTaskCodec.encode(t).length()).sum())
                    .isLessThanOrEqualTo(ScanTaskSender.MAX_BATCH_BYTES);
        }
    }

    @Test
    void retryableEntryFailuresAreRetriedUntilSent() {
        // given: every entry "fails" (SenderFault=false) on its first attempt
        FailEntries failFirstAttempt = new FailEntries(false, 1);
        SqsClient sqs = client(failFirstAttempt);
        String url = sqs.createQueue(b -> b.queueName("retry-then-ok")).queueUrl();
        ScanTaskSender sender = new ScanTaskSender(sqs, url, pool, 3, 1);

        // when
        List<ScanTaskSender.Failure> failures = sender.send(tasks(10), "t");

        // then: every key was sent again after its reported failure (the injected failures were in
        // fact accepted by the server, so each key is in the queue twice)
        assertThat(failures).isEmpty();
        assertThat(failFirstAttempt.failed.get()).isEqualTo(10);
        assertThat(drain(sqs, url)).extracting(m -> ScanTaskCodec.decode(m.body()).objects().get(0).key())
                .hasSize(20).containsOnly(tasks(10).stream().map(t -> t.objects().get(0).key()).toArray(String[]::new));
    }

    @Test
    void senderFaultEntriesAreReturnedNotRetried() {
        // given: the entries for key-7 and key-9 fail with SenderFault=true (the case-14 fixture)
        FailEntries senderFault = new FailEntries(true, Integer.MAX_VALUE, Set.of("key-7", "key-9"));
        SqsClient sqs = client(senderFault);
        String url = sqs.createQueue(b -> b.queueName("sender-fault")).queueUrl();
        ScanTaskSender sender = new ScanTaskSender(sqs, url, pool, 3, 1);

        // when
        List<ScanTaskSender.Failure> failures = sender.send(tasks(10), "t");

        // then
        assertThat(failures).extracting(f -> f.task().objects().get(0).key()).containsExactlyInAnyOrder("key-7", "key-9");
        assertThat(failures).extracting(ScanTaskSender.Failure::code).containsOnly("InvalidParameterValue");
        assertThat(senderFault.failed.get()).isEqualTo(2);
    }

    @Test
    void retryableFailuresGiveUpAfterMaxAttempts() {
        // given: an entry that fails every time with SenderFault=false
        FailEntries always = new FailEntries(false, Integer.MAX_VALUE, Set.of("key-3"));
        SqsClient sqs = client(always);
        String url = sqs.createQueue(b -> b.queueName("always-fails")).queueUrl();
        ScanTaskSender sender = new ScanTaskSender(sqs, url, pool, 4, 1);

        // when
        List<ScanTaskSender.Failure> failures = sender.send(tasks(5), "t");

        // then
        assertThat(failures).extracting(f -> f.task().objects().get(0).key()).containsExactly("key-3");
        assertThat(always.failed.get()).isEqualTo(4);
    }

    /**
     * Rewrites SendMessageBatch responses so that chosen entries appear failed (the messages SQS
     * did accept for them are left in the queue and ignored by the assertions on failures).
     */
    private static final class FailEntries implements ExecutionInterceptor {
        private final boolean senderFault;
        private final int failTimes;
        private final Set<String> onlyKeys;
        private final ConcurrentHashMap<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final AtomicInteger failed = new AtomicInteger();

        FailEntries(boolean senderFault, int failTimes) {
            this(senderFault, failTimes, null);
        }

        FailEntries(boolean senderFault, int failTimes, Set<String> onlyKeys) {
            this.senderFault = senderFault;
            this.failTimes = failTimes;
            this.onlyKeys = onlyKeys;
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (!(context.response() instanceof SendMessageBatchResponse response)
                    || !(context.request() instanceof SendMessageBatchRequest request)) {
                return context.response();
            }
            List<SendMessageBatchResultEntry> ok = new ArrayList<>();
            List<BatchResultErrorEntry> failedEntries = new ArrayList<>(response.failed());
            for (SendMessageBatchResultEntry e : response.successful()) {
                String body = request.entries().stream().filter(r -> r.id().equals(e.id())).findFirst().orElseThrow().messageBody();
                String key = ScanTaskCodec.decode(body).objects().get(0).key();
                boolean chosen = onlyKeys == null || onlyKeys.contains(key);
                int n = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                if (chosen && n <= failTimes) {
                    failed.incrementAndGet();
                    failedEntries.add(BatchResultErrorEntry.builder().id(e.id()).senderFault(senderFault)
                            .code(senderFault ? "InvalidParameterValue" : "InternalError").message("injected").build());
                } else {
                    ok.add(e);
                }
            }
            return response.toBuilder().successful(ok).failed(failedEntries).build();
        }
    }
}
