package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asset hashes depend on the embedded artifacts' content only, not on where or when they were extracted. */
class AssetDeterminismTest {

    @TempDir
    Path first;
    @TempDir
    Path second;

    @AfterEach
    void resetCache() {
        System.clearProperty(RuntimeAssets.CACHE_PROPERTY);
    }

    @Test
    void templatesAreIdenticalWhenAssetsAreExtractedToDifferentFoldersAtDifferentTimes() throws IOException {
        // given: one synth extracting into one folder
        System.setProperty(RuntimeAssets.CACHE_PROPERTY, first.toString());
        String a = raw();
        // and the other into another folder whose files are then touched
        System.setProperty(RuntimeAssets.CACHE_PROPERTY, second.toString());
        RuntimeAssets.extractZip(RuntimeAssets.WORKER_CONTEXT_ZIP);
        try (Stream<Path> files = Files.walk(second)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2030-06-01T12:00:00Z")));
            }
        }

        // when
        String b = raw();

        // then
        assertThat(b).isEqualTo(a);
        assertThat(a).doesNotContain(first.toString()).doesNotContain(second.toString());
    }

    @Test
    void templateReferencesTheEmbeddedJarsAndImageByContentHash() {
        // given
        Synth.Result r = Synth.tier(ScaleTier.SMALL);

        // when
        String template = r.template().toJSON().toString();
        String image = Templates.resources(r.template(), "AWS::ECS::TaskDefinition").get(0).getValue()
                .path("Properties").path("ContainerDefinitions").get(0).path("Image").toString();
        Matcher jars = Pattern.compile("S3Key=([0-9a-f]{64})\\.jar").matcher(template);

        // then: two Lambda jars (lister, refresher) and the worker image, staged without a Docker engine
        assertThat(jars.results().map(m -> m.group(1)).distinct().count()).isEqualTo(2);
        assertThat(image).containsPattern("container-assets-.*:[0-9a-f]{64}");
    }

    private static String raw() {
        Synth.Result r = Synth.app(Map.of("tier", "small", "targetBuckets", Synth.PLAIN_BUCKET, "nag", "false"));
        try {
            return Templates.JSON.writeValueAsString(r.template().toJSON());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
