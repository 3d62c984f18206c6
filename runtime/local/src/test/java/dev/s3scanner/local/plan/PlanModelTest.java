package dev.s3scanner.local.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Pins the plan's arithmetic for the seed's two reference jobs (1M and 50M objects of 100 KB),
 * with every expected figure worked out by hand from the default inputs.
 */
class PlanModelTest {

    @Test
    void oneMillionObjectsOnTheSmallTier() {
        // when
        PlanModel.Plan plan = PlanModel.compute(PlanModel.Inputs.of(1_000_000, 100_000, PlanModel.tier("small")));

        // then
        // listing: 1,000 pages x (0.12 s + 1,000 / 40,000 s) = 145 s
        assertThat(plan.listingSeconds()).isCloseTo(145.0, within(1e-9));
        // scanning: per worker min(1 x 1,000, 1 x 100 MB/s / 100 KB = 1,000) = 1,000/s; 5 workers = 5,000/s
        //   (under S3's 55,000 GET/s and db.t3.medium's 2 vCPU x 5,000 = 10,000 recorded/s); 200 s
        assertThat(plan.scanSeconds()).isCloseTo(200.0, within(1e-9));
        // job: max(145, 200) + 120 s start-up
        assertThat(plan.totalSeconds()).isCloseTo(320.0, within(1e-9));
        // cost: LIST 0.005 + GET 0.40 + SQS 7,000 x 0.4e-6 = 0.0028
        //   + Fargate 5 x 200/3600 h x (0.04048 + 2 x 0.004445) = 0.013714
        //   + Lambda 100 x 0.2e-6 + 100 x 1.45 s x 1 GB x 0.0000166667 = 0.002437
        //   + Step Functions 100 x 3 / 1,000 x 0.025 = 0.0075 + RDS 0.068 x 320/3600 = 0.006044
        assertThat(plan.costUsd()).isCloseTo(0.437495, within(1e-5));
        assertThat(plan.costPerMillionUsd()).isCloseTo(0.437495, within(1e-5));
        // Macie: 100 GB x $1
        assertThat(plan.macieUsd()).isCloseTo(100.0, within(1e-9));
        assertThat(plan.recommended().name()).isEqualTo("small");
    }

    @Test
    void fiftyMillionObjectsOnTheLargeTier() {
        // when
        PlanModel.Plan plan = PlanModel.compute(PlanModel.Inputs.of(50_000_000, 100_000, PlanModel.tier("large")));

        // then
        // listing: 50,000 pages x 0.145 s = 7,250 s
        assertThat(plan.listingSeconds()).isCloseTo(7250.0, within(1e-6));
        // scanning: per worker min(2 x 1,000, 2 x 1,000) = 2,000/s; 50 workers = 100,000/s, over S3's
        //   5,500 GET/s x 10 prefixes = 55,000/s and over db.r6g.large's 2 vCPU x 5,000 = 10,000 recorded/s,
        //   so 10,000/s; 50M / 10,000 = 5,000 s
        assertThat(plan.scanSeconds()).isCloseTo(5000.0, within(1e-9));
        assertThat(plan.totalSeconds()).isCloseTo(7370.0, within(1e-6));
        // cost: LIST 0.25 + GET 20 + SQS 350,000 x 0.4e-6 = 0.14
        //   + Fargate 50 x 5000/3600 h x (2 x 0.04048 + 4 x 0.004445) = 6.856944
        //   + Lambda 5,000 x 0.2e-6 + 5,000 x 1.45 x 0.0000166667 = 0.121834
        //   + Step Functions 5,000 x 3 / 1,000 x 0.025 = 0.375 + RDS 0.225 x 2 x 7,370/3600 = 0.92125
        assertThat(plan.costUsd()).isCloseTo(28.665028, within(1e-5));
        assertThat(plan.macieUsd()).isCloseTo(5000.0, within(1e-9));
        // the database, not the workers or S3, sets the pace; listing (2h 0m) is under twice scanning (1h 23m): no note
        assertThat(plan.lines()).filteredOn(l -> l.label().equals("fleet")).singleElement()
                .satisfies(l -> assertThat(l.value()).isEqualTo("10,000 objects/s"));
        assertThat(plan.lines()).noneSatisfy(l -> assertThat(l.label()).isEqualTo("listing bound"));
    }

    @Test
    void listingMoreThanTwiceAsLongAsScanningSuggestsInventoryMode() {
        // given: the enterprise tier with ListObjectsV2 listing instead of S3 Inventory
        PlanModel.Tier e = PlanModel.tier("enterprise");
        PlanModel.Tier listing = new PlanModel.Tier(e.name(), e.upToObjects(), e.maxWorkers(), e.workerVcpu(),
                e.workerMemoryGb(), e.dbInstance(), e.multiAz(), false);

        // when
        PlanModel.Plan plan = PlanModel.compute(PlanModel.Inputs.of(50_000_000, 100_000, listing));

        // then: listing 50,000 pages x 0.145 s = 7,250 s; scanning min(100 x 2,000, 55,000,
        //   db.r6g.xlarge 4 vCPU x 5,000 = 20,000)/s = 2,500 s; 7,250 > 2 x 2,500
        assertThat(plan.listingSeconds()).isCloseTo(7250.0, within(1e-6));
        assertThat(plan.scanSeconds()).isCloseTo(2500.0, within(1e-9));
        assertThat(plan.lines()).filteredOn(l -> l.label().equals("listing bound")).singleElement()
                .satisfies(l -> assertThat(l.value()).isEqualTo("S3 Inventory mode (--inventory) lists faster"));
    }

    @Test
    void inventoryModeReplacesListCostsWithInventoryCosts() {
        // when
        PlanModel.Plan plan = PlanModel.compute(PlanModel.Inputs.of(50_000_000, 100_000, PlanModel.tier("enterprise")));

        // then: 50M / 100,000 objects/s = 500 s; S3 Inventory 50 x $0.0025
        assertThat(plan.listingSeconds()).isCloseTo(500.0, within(1e-9));
        assertThat(plan.lines()).anySatisfy(l -> {
            assertThat(l.label()).isEqualTo("S3 Inventory");
            assertThat(l.value()).isEqualTo("$0.13");
        });
        assertThat(plan.lines()).noneSatisfy(l -> assertThat(l.label()).isEqualTo("S3 LIST"));
    }

    @Test
    void recommendationFollowsTheTierTable() {
        assertThat(PlanModel.recommend(999_999).name()).isEqualTo("small");
        assertThat(PlanModel.recommend(5_000_000).name()).isEqualTo("medium");
        assertThat(PlanModel.recommend(50_000_000).name()).isEqualTo("large");
        assertThat(PlanModel.recommend(50_000_001).name()).isEqualTo("enterprise");
    }

    @Test
    void quantitiesParseWithTheirUnits() {
        assertThat(Quantities.parseCount("50M")).isEqualTo(50_000_000L);
        assertThat(Quantities.parseCount("2.5b")).isEqualTo(2_500_000_000L);
        assertThat(Quantities.parseSize("100KB")).isEqualTo(100_000L);
        assertThat(Quantities.parseSize("1GiB")).isEqualTo(1L << 30);
        assertThat(Quantities.price(0.0000166667)).isEqualTo("$0.0000166667");
        assertThat(Quantities.price(0.4)).isEqualTo("$0.40");
    }

    @Test
    void badQuantitiesAreRejectedWithExamples() {
        assertThatThrownBy(() -> Quantities.parseCount("lots")).hasMessage("not a count: 'lots' (examples: 1M, 50M, 250000)");
        assertThatThrownBy(() -> Quantities.parseSize("big")).hasMessage("not a size: 'big' (examples: 100KB, 2MB, 1GiB)");
        assertThatThrownBy(() -> PlanModel.tier("huge")).hasMessage("tier must be one of small, medium, large, enterprise, got 'huge'");
    }
}
