package dev.s3scanner.core.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.ObjectReason;
import dev.s3scanner.core.store.ObjectState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectFilterTest {
    private static final Instant MAY = Instant.parse("2024-05-01T00:00:00Z");

    private static ListedObject object(String key, long size, Instant modified) {
        return ListedObject.queued(key, "\"e\"", size, null, "STANDARD", modified);
    }

    private static ObjectFilter.Criteria criteria(List<String> prefixes, List<String> extensions, Long min, Long max,
                                                  Instant after, Instant before) {
        return new ObjectFilter.Criteria(prefixes, extensions, min, max, after, before);
    }

    @Test
    void includeNeedsEveryCriterionGiven() {
        // given
        ObjectFilter f = new ObjectFilter(criteria(List.of("data/"), List.of("CSV"), null, 100L, null, null), null);

        // when
        ListedObject kept = f.apply(object("data/a.csv", 100, MAY));
        ListedObject wrongPrefix = f.apply(object("logs/a.csv", 10, MAY));
        ListedObject wrongExtension = f.apply(object("data/a.txt", 10, MAY));
        ListedObject tooBig = f.apply(object("data/A.CSV", 101, MAY));

        // then
        assertThat(kept.state()).isEqualTo(ObjectState.QUEUED);
        assertThat(wrongPrefix.reason()).isEqualTo(ObjectReason.EXCLUDED);
        assertThat(wrongPrefix.detail()).isEqualTo("include.prefixes");
        assertThat(wrongExtension.detail()).isEqualTo("include.extensions");
        assertThat(tooBig.detail()).isEqualTo("include.size");
        assertThat(tooBig.state()).isEqualTo(ObjectState.SKIPPED);
    }

    @Test
    void excludeTakesAnyCriterionGiven() {
        // given
        ObjectFilter f = new ObjectFilter(null, criteria(List.of("tmp/"), List.of(".log"), 1000L, null, null, MAY));

        // when / then
        assertThat(f.apply(object("tmp/a.txt", 1, MAY)).detail()).isEqualTo("exclude.prefixes");
        assertThat(f.apply(object("a.LOG", 1, MAY)).detail()).isEqualTo("exclude.extensions");
        assertThat(f.apply(object("a.txt", 1000, MAY)).detail()).isEqualTo("exclude.size");
        assertThat(f.apply(object("a.txt", 1, MAY.minusSeconds(1))).detail()).isEqualTo("exclude.last_modified");
        assertThat(f.apply(object("a.txt", 999, MAY)).state()).isEqualTo(ObjectState.QUEUED);
    }

    @Test
    void objectsAlreadySkippedAtListingKeepTheirReason() {
        // given
        ObjectFilter f = new ObjectFilter(criteria(null, List.of("csv"), null, null, null, null), null);
        ListedObject folder = object("docs/", 0, MAY).withOutcome(ObjectState.SKIPPED, ObjectReason.FOLDER_MARKER, null);

        // when / then
        assertThat(f.apply(folder).reason()).isEqualTo(ObjectReason.FOLDER_MARKER);
    }

    @Test
    void storedOptionsRoundTrip() {
        // given
        ObjectFilter f = new ObjectFilter(criteria(List.of("a/"), List.of("csv"), 1L, 2L, MAY, MAY.plusSeconds(60)),
                criteria(List.of("a/tmp/"), null, null, null, null, null));
        String options = "{\"include\":" + f.include().toJson() + ",\"exclude\":" + f.exclude().toJson()
                + ",\"detection\":{}}";

        // when
        ObjectFilter read = ObjectFilter.fromOptions(options);

        // then
        assertThat(read).isEqualTo(f);
        assertThat(read.include().extensions()).containsExactly(".csv");
        assertThat(ObjectFilter.fromOptions("{}")).isEqualTo(ObjectFilter.NONE);
    }

    @Test
    void emptyRangesAndBadEntriesAreRefused() {
        // then
        assertThatThrownBy(() -> criteria(null, null, 5L, 4L, null, null))
                .hasMessage("min_size (5) is greater than max_size (4)");
        assertThatThrownBy(() -> criteria(null, null, null, null, MAY, MAY))
                .hasMessage("modified_after (2024-05-01T00:00:00Z) is not before modified_before (2024-05-01T00:00:00Z)");
        assertThatThrownBy(() -> criteria(List.of(""), null, null, null, null, null))
                .hasMessage("prefixes[0] must not be empty");
        assertThatThrownBy(() -> criteria(null, List.of("tar/gz"), null, null, null, null))
                .hasMessage("extensions[0] must be at most 32 characters with no '/', was 'tar/gz'");
        assertThatThrownBy(() -> criteria(List.of("é".repeat(513)), null, null, null, null, null))
                .hasMessage("prefixes[0] is longer than S3's 1,024-byte key limit");
    }
}
