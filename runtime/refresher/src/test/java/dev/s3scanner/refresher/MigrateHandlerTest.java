package dev.s3scanner.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.testing.TestDatabase;
import dev.s3scanner.db.SchemaLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deploy-time migration function with the tier's partitioning setting. */
class MigrateHandlerTest {
    private static String run(MigrateHandler handler) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void partitionedSettingPartitionsAnEmptyDatabase() throws Exception {
        // given: a database migrated unpartitioned (as a medium-tier deployment leaves it)
        try (TestDatabase db = TestDatabase.create(2, SchemaLayout.UNPARTITIONED)) {
            MigrateHandler handler = new MigrateHandler(Env.of(Map.of("SCANNER_JDBC_URL", db.url(), "SCANNER_PARTITIONED", "true")));

            // when
            String out = run(handler);

            // then
            assertThat(out).isEqualTo("{\"migrations_applied\":0,\"layout\":\"partitioned\"}");
            assertThat(db.scalar("SELECT relkind FROM pg_class WHERE oid = 'job_objects'::regclass")).isEqualTo("p");
        }
    }

    @Test
    void unsetSettingLeavesTheLayoutAlone() throws Exception {
        // given
        try (TestDatabase db = TestDatabase.create(2, SchemaLayout.UNPARTITIONED)) {
            MigrateHandler handler = new MigrateHandler(Env.of(Map.of("SCANNER_JDBC_URL", db.url())));

            // when
            String out = run(handler);

            // then
            assertThat(out).isEqualTo("{\"migrations_applied\":0,\"layout\":\"unpartitioned\"}");
        }
    }

    @Test
    void aSettingOtherThanTrueOrFalseFailsBeforeConnecting() {
        // given
        MigrateHandler handler = new MigrateHandler(Env.of(Map.of("SCANNER_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none",
                "SCANNER_PARTITIONED", "large")));

        // when / then
        assertThatThrownBy(() -> run(handler))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SCANNER_PARTITIONED must be true or false, was 'large'");
    }
}
