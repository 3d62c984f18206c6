package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The full template of each tier against {@code src/test/resources/snapshots/<tier>.json}.
 *
 * <p>Regenerate on purpose only: {@code mvn -B -pl cdk -am verify -Dsnapshots.update=true}
 * (then review the diff). Content hashes of the runtime artifacts (asset hashes, and the
 * Lambda version ids derived from them) are replaced by placeholders, so a runtime code change
 * does not churn these files; {@link AssetDeterminismTest} checks the raw hashes are stable.
 */
class TierSnapshotTest {

    @ParameterizedTest
    @EnumSource(ScaleTier.class)
    void templateMatchesItsSnapshot(ScaleTier tier) throws IOException {
        // given
        Path file = snapshotDir().resolve(tier.id() + ".json");

        // when
        String actual = normalize(Synth.tier(tier).template().toJSON());

        // then
        if (Boolean.getBoolean("snapshots.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("snapshot %s (create it with -Dsnapshots.update=true)", file).exists();
        assertThat(actual).as("template of tier %s differs from %s; if intended, regenerate with -Dsnapshots.update=true",
                tier.id(), file).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    static String normalize(Object templateJson) {
        try {
            String json = Templates.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(templateJson);
            return json.replaceAll("[0-9a-f]{64}", "<asset-hash>")
                    .replaceAll("CurrentVersion[0-9A-F]{8}[0-9a-f]{32}", "CurrentVersion<code-hash>")
                    .replace("\r\n", "\n") + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path snapshotDir() {
        String dir = System.getProperty("snapshots.dir");
        return dir != null ? Paths.get(dir) : Paths.get("src/test/resources/snapshots");
    }
}
