package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

class ScaleTierTest {

    @ParameterizedTest
    @CsvSource({
            "small, 5, t3.medium, false, false, false",
            "medium, 20, t3.large, true, false, false",
            "large, 50, r6g.large, true, true, false",
            "enterprise, 100, r6g.xlarge, true, true, true"})
    void tierDefaultsFollowTheDesignTable(String id, int maxWorkers, String dbType, boolean multiAz,
                                          boolean partitioned, boolean inventory) {
        // given / when
        ScaleSettings s = ScaleTier.fromId(id).settings();

        // then
        assertThat(s.getMaxWorkers()).isEqualTo(maxWorkers);
        assertThat(s.getMinWorkers()).isZero();
        assertThat(s.getDatabaseInstanceType()).isEqualTo(dbType);
        assertThat(s.isMultiAz()).isEqualTo(multiAz);
        assertThat(s.isPartitionedJobObjects()).isEqualTo(partitioned);
        assertThat(s.isInventoryMode()).isEqualTo(inventory);
    }

    @Test
    void unknownTierNamesTheAcceptedValues() {
        // given / when / then
        assertThatThrownBy(() -> ScaleTier.fromId("huge"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tier must be one of small, medium, large, enterprise, got 'huge'");
    }

    @Test
    void oneFieldOverriddenFromJavaKeepsTheOthers() {
        // given
        ScaleSettings large = ScaleTier.LARGE.settings();

        // when
        ScaleSettings s = ScaleSettings.builder().from(large).maxWorkers(30).build();

        // then
        assertThat(s.getMaxWorkers()).isEqualTo(30);
        assertThat(s).isEqualTo(ScaleSettings.builder().from(large).maxWorkers(30).build());
        assertThat(s.getDatabaseInstanceType()).isEqualTo("r6g.large");
        assertThat(s.isPartitionedJobObjects()).isTrue();
        assertThat(large.getMaxWorkers()).isEqualTo(50);
    }

    @Test
    void contextOverridesFieldsOneByOneFromStrings() {
        // given: what -c tier=large -c maxWorkers=30 -c multiAz=false passes
        App app = new App(AppProps.builder().context(Map.of(
                "tier", "large", "maxWorkers", "30", "multiAz", "false", "databaseInstanceType", "r6g.2xlarge")).build());

        // when
        ScaleSettings s = ScaleSettings.fromContext(app.getNode());

        // then
        assertThat(s.getTier()).isEqualTo(ScaleTier.LARGE);
        assertThat(s.getMaxWorkers()).isEqualTo(30);
        assertThat(s.isMultiAz()).isFalse();
        assertThat(s.getDatabaseInstanceType()).isEqualTo("r6g.2xlarge");
        assertThat(s.isPartitionedJobObjects()).isTrue();
        assertThat(s.getWorkerCpu()).isEqualTo(2048);
    }

    @Test
    void contextAcceptsJsonNumbersAndBooleans() {
        // given: cdk.json values are JSON numbers and booleans
        App app = new App(AppProps.builder().context(Map.of(
                "tier", "medium", "minWorkers", 1, "inventoryMode", true)).build());

        // when
        ScaleSettings s = ScaleSettings.fromContext(app.getNode());

        // then
        assertThat(s.getMinWorkers()).isEqualTo(1);
        assertThat(s.isInventoryMode()).isTrue();
        assertThat(s.getMaxWorkers()).isEqualTo(20);
    }

    @Test
    void withoutContextTheTierIsSmall() {
        // given
        App app = new App();

        // when / then
        assertThat(ScaleSettings.fromContext(app.getNode())).isEqualTo(ScaleTier.SMALL.settings());
    }

    @Test
    void contextValueThatIsNotAnIntegerNamesTheKey() {
        // given
        App app = new App(AppProps.builder().context(Map.of("maxWorkers", "lots")).build());

        // when / then
        assertThatThrownBy(() -> ScaleSettings.fromContext(app.getNode()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context maxWorkers must be an integer, got 'lots'");
    }

    @Test
    void contextValueThatIsNotABooleanNamesTheKey() {
        // given
        App app = new App(AppProps.builder().context(Map.of("multiAz", "yes")).build());

        // when / then
        assertThatThrownBy(() -> ScaleSettings.fromContext(app.getNode()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context multiAz must be true or false, got 'yes'");
    }

    @Test
    void minWorkersAboveMaxWorkersIsRejected() {
        // given
        ScaleSettings.Builder b = ScaleSettings.builder().from(ScaleTier.SMALL.settings()).minWorkers(6);

        // when / then
        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minWorkers (6) must not exceed maxWorkers (5)");
    }

    @Test
    void zeroMaxWorkersIsRejectedWithEveryProblem() {
        // given
        ScaleSettings.Builder b = ScaleSettings.builder().from(ScaleTier.SMALL.settings()).maxWorkers(0);

        // when / then
        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxWorkers must be 1 or more, got 0");
    }

    @Test
    void workerSizeThatFargateDoesNotOfferIsRejected() {
        // given
        ScaleSettings.Builder b = ScaleSettings.builder().from(ScaleTier.SMALL.settings()).workerMemoryMiB(1024);

        // when / then
        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workerCpu 1024 with workerMemoryMiB 1024 is not a Fargate task size"
                        + " (cpu 256, 512, 1024, 2048, 4096, 8192 or 16384 with its memory range)");
    }

    @Test
    void databaseInstanceTypeWithDbPrefixIsRejected() {
        // given
        ScaleSettings.Builder b = ScaleSettings.builder().from(ScaleTier.SMALL.settings()).databaseInstanceType("db.t3.medium");

        // when / then
        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("databaseInstanceType must be an instance class without the db. prefix, e.g. t3.medium, got 'db.t3.medium'");
    }

    @Test
    void missingFieldFailsLikeJsii() {
        // given
        ScaleSettings.Builder b = ScaleSettings.builder().tier(ScaleTier.SMALL);

        // when / then
        assertThatThrownBy(b::build)
                .isInstanceOf(NullPointerException.class)
                .hasMessage("minWorkers must not be null");
    }
}
