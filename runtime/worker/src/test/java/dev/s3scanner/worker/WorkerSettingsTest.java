package dev.s3scanner.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {
    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/scan-tasks";

    @Test
    void largeTierTaskKeepsManyObjectsInFlightPerVcpuToCoverS3Latency() {
        // given: the large tier's task, 2 vCPU and 4 GB
        Env env = Env.of(Map.of("SCANNER_QUEUE_URL", QUEUE, "SCANNER_WORKER_VCPU", "2", "SCANNER_WORKER_MEMORY_MIB", "4096"));

        // when
        WorkerSettings settings = WorkerSettings.fromEnv(env);

        // then: 2 receivers and 64 objects per vCPU
        assertThat(settings.receivers()).isEqualTo(4);
        assertThat(settings.maxInFlightObjects()).isEqualTo(128);
        assertThat(settings.receiveBatch()).isEqualTo(10);
    }

    @Test
    void smallMemoryCapsObjectsInFlightAtAQuarterOfIt() {
        // given: 1 vCPU with 512 MiB: 512 / 4 / 3 MiB per read window = 42
        Env env = Env.of(Map.of("SCANNER_QUEUE_URL", QUEUE, "SCANNER_WORKER_VCPU", "1", "SCANNER_WORKER_MEMORY_MIB", "512"));

        // when
        WorkerSettings settings = WorkerSettings.fromEnv(env);

        // then
        assertThat(settings.maxInFlightObjects()).isEqualTo(42);
        assertThat(settings.receivers()).isEqualTo(2);
    }

    @Test
    void overridesReplaceTheDerivedDefaults() {
        // given
        Env env = Env.of(Map.of("SCANNER_QUEUE_URL", QUEUE, "SCANNER_WORKER_VCPU", "2", "SCANNER_WORKER_MEMORY_MIB", "4096",
                "SCANNER_WORKER_RECEIVERS", "3", "SCANNER_MAX_IN_FLIGHT_OBJECTS", "20"));

        // when
        WorkerSettings settings = WorkerSettings.fromEnv(env);

        // then
        assertThat(settings.receivers()).isEqualTo(3);
        assertThat(settings.maxInFlightObjects()).isEqualTo(20);
    }

    @Test
    void invalidVcpuFailsAtStartUpWithTheVariableNamed() {
        // given
        Env env = Env.of(Map.of("SCANNER_QUEUE_URL", QUEUE, "SCANNER_WORKER_VCPU", "two"));

        // when / then
        assertThatThrownBy(() -> WorkerSettings.fromEnv(env))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SCANNER_WORKER_VCPU must be a number of vCPUs such as 0.5 or 2, was 'two'");
    }

    @Test
    void inFlightOverrideOutOfRangeFailsAtStartUp() {
        // given
        Env env = Env.of(Map.of("SCANNER_QUEUE_URL", QUEUE, "SCANNER_MAX_IN_FLIGHT_OBJECTS", "0"));

        // when / then
        assertThatThrownBy(() -> WorkerSettings.fromEnv(env))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SCANNER_MAX_IN_FLIGHT_OBJECTS must be between 1 and 4096, was 0");
    }
}
