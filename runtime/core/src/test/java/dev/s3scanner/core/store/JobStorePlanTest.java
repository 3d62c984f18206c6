package dev.s3scanner.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.s3scanner.core.testing.TestDatabase;
import dev.s3scanner.db.SchemaLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The per-message statements of the worker read only the message's rows, however large the job
 * and whatever the table's statistics say. The case that matters: a new job, whose rows are newer
 * than the last {@code ANALYZE} (PostgreSQL then guesses about one row per job id), among
 * {@value #OLDER_JOBS} older jobs (in the partitioned layout, as many partitions). Measured with
 * {@code EXPLAIN (ANALYZE)}: the rows each plan node read from {@code job_objects} or one of its
 * partitions, times its loops.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(SchemaLayout.class)
class JobStorePlanTest {
    private static final int JOB_OBJECTS = 20_000;
    private static final int OLDER_JOBS = 20;
    private static final int OLDER_JOB_OBJECTS = 1_000;
    private static final int MESSAGE_OBJECTS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestDatabase db;

    @Parameter
    SchemaLayout layout;

    private UUID jobId;
    private String[] messageKeys;

    @BeforeParameterizedClassInvocation
    static void createDatabase(SchemaLayout layout) throws SQLException {
        db = TestDatabase.create(layout);
        olderJobs();
    }

    @AfterParameterizedClassInvocation
    static void dropDatabase() {
        db.close();
    }

    private static void olderJobs() throws SQLException {
        // older jobs (in the partitioned layout, as many partitions), analyzed before the new job exists
        JobStore store = db.store();
        for (int j = 0; j < OLDER_JOBS; j++) {
            listObjects(store, store.createJob(NewJob.of("older-" + j, "")).jobId(), OLDER_JOB_OBJECTS);
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE job_objects");
        }
    }

    @BeforeEach
    void newJobNewerThanTheStatistics() {
        JobStore store = db.store();
        jobId = store.createJob(NewJob.of("new-" + UUID.randomUUID(), "")).jobId();
        listObjects(store, jobId, JOB_OBJECTS);
        messageKeys = new String[MESSAGE_OBJECTS];
        for (int i = 0; i < MESSAGE_OBJECTS; i++) {
            messageKeys[i] = key(7_000 + i);
        }
    }

    @Test
    void openObjectsReadsOnlyTheMessagesRows() throws Exception {
        // when
        JsonNode plan = explain(JobStore.OPEN_ROWS, c -> new Object[] {c.createArrayOf("text", messageKeys), jobId});

        // then
        assertThat(plan.path("Actual Rows").asLong()).isEqualTo(MESSAGE_OBJECTS);
        assertThat(rowsReadFromJobObjects(plan)).isEqualTo(MESSAGE_OBJECTS);
    }

    @Test
    void stateUpdateReadsOnlyTheMessagesRows() throws Exception {
        // given
        String[] states = new String[MESSAGE_OBJECTS];
        Arrays.fill(states, "succeeded");
        Long[] counts = new Long[MESSAGE_OBJECTS];
        Arrays.fill(counts, 3L);

        // when
        JsonNode plan = explain(JobStore.updateStatesSql(db.store().objectRowsTable(jobId)), c -> new Object[] {
                c.createArrayOf("text", messageKeys), c.createArrayOf("text", states),
                c.createArrayOf("text", new String[MESSAGE_OBJECTS]), c.createArrayOf("text", new String[MESSAGE_OBJECTS]),
                c.createArrayOf("bigint", counts), jobId});

        // then: each row found through the primary key once, and updated once
        assertThat(plan.path("Actual Rows").asLong()).isEqualTo(MESSAGE_OBJECTS);
        assertThat(rowsReadFromJobObjects(plan)).isEqualTo(2L * MESSAGE_OBJECTS);
    }

    private interface Params {
        Object[] of(Connection c) throws SQLException;
    }

    /** Runs {@code EXPLAIN (ANALYZE)} of a statement in a transaction that is rolled back; returns its top plan node. */
    private static JsonNode explain(String sql, Params params) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
                Object[] values = params.of(c);
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return JSON.readTree(rs.getString(1)).get(0).get("Plan");
                } finally {
                    c.rollback();
                }
            }
        }
    }

    /** Rows the plan's scans of job_objects (or its partitions) returned or filtered out, over all their loops. */
    private static long rowsReadFromJobObjects(JsonNode node) {
        long rows = 0;
        if (node.path("Relation Name").asText().startsWith("job_objects")
                && !node.path("Node Type").asText().equals("ModifyTable")) {
            long perLoop = node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong();
            rows += perLoop * node.path("Actual Loops").asLong();
        }
        for (JsonNode child : node.path("Plans")) {
            rows += rowsReadFromJobObjects(child);
        }
        return rows;
    }

    private static void listObjects(JobStore store, UUID job, int count) {
        List<PageInput> pages = new ArrayList<>();
        for (int p = 0; p * 1000 < count; p++) {
            List<ListedObject> page = new ArrayList<>();
            for (int i = p * 1000; i < Math.min(count, (p + 1) * 1000); i++) {
                page.add(ListedObject.queued(key(i), "\"e" + i + "\"", 100, null, "STANDARD", null));
            }
            pages.add(new PageInput("page-" + p, null, page));
        }
        store.recordPages(job, pages);
    }

    private static String key(int i) {
        return String.format("logs/%08d.txt", i);
    }
}
