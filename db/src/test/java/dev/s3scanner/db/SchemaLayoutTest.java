package dev.s3scanner.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaLayoutTest {
    @Test
    void trueInAnyCaseIsPartitioned() {
        // when / then
        assertThat(SchemaLayout.fromSetting("true")).isEqualTo(SchemaLayout.PARTITIONED);
        assertThat(SchemaLayout.fromSetting(" TRUE ")).isEqualTo(SchemaLayout.PARTITIONED);
    }

    @Test
    void falseUnsetOrBlankIsUnpartitioned() {
        // when / then
        assertThat(SchemaLayout.fromSetting("false")).isEqualTo(SchemaLayout.UNPARTITIONED);
        assertThat(SchemaLayout.fromSetting(null)).isEqualTo(SchemaLayout.UNPARTITIONED);
        assertThat(SchemaLayout.fromSetting("  ")).isEqualTo(SchemaLayout.UNPARTITIONED);
    }

    @Test
    void anythingElseIsRejectedWithTheVariableName() {
        // when / then
        assertThatThrownBy(() -> SchemaLayout.fromSetting("yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SCANNER_PARTITIONED must be true or false, was 'yes'");
    }
}
