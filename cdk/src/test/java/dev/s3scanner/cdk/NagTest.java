package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag AwsSolutions: no unsuppressed error or warning in any tier. */
class NagTest {

    @ParameterizedTest
    @EnumSource(ScaleTier.class)
    void noUnsuppressedAwsSolutionsFindings(ScaleTier tier) {
        // given: the app of the tier, with AwsSolutionsChecks applied by ScannerApp
        Synth.Result r = Synth.tier(tier);

        // when
        List<SynthesisMessage> errors = r.annotations().findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        List<SynthesisMessage> warnings = r.annotations().findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));

        // then
        assertThat(describe(errors)).isEmpty();
        assertThat(describe(warnings)).isEmpty();
    }

    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream()
                .map(m -> m.getId() + ": " + String.valueOf(m.getEntry().getData()).lines().findFirst().orElse(""))
                .collect(Collectors.toList());
    }
}
