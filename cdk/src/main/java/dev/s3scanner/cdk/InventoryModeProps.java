package dev.s3scanner.cdk;

import software.amazon.awscdk.services.s3.IBucket;

/** Properties of an {@link InventoryMode}; all optional. Build with {@link #builder()}. */
public interface InventoryModeProps {

    /**
     * The bucket S3 Inventory delivers reports to ({@code manifest.json} and data files).
     *
     * @return the bucket
     * @default - a new bucket (SSE-S3, TLS only, public access blocked) whose policy lets S3
     *          Inventory of this account deliver reports; point your inventory configurations at it
     */
    default IBucket getReportsBucket() { return null; }

    /**
     * Key prefix under which reports are delivered; listing reads only under it.
     *
     * @return the prefix, e.g. {@code inventory/}
     * @default - "" (the whole bucket)
     */
    default String getReportsPrefix() { return null; }

    /** @return a new builder */
    static Builder builder() { return new Builder(); }

    /** Builder for {@link InventoryModeProps}. */
    final class Builder {
        private IBucket reportsBucket;
        private String reportsPrefix;

        private Builder() { }

        /**

         * @param v see {@link InventoryModeProps#getReportsBucket()}

         * @return this builder

         */
        public Builder reportsBucket(IBucket v) { reportsBucket = v; return this; }
        /**
         * @param v see {@link InventoryModeProps#getReportsPrefix()}
         * @return this builder
         */
        public Builder reportsPrefix(String v) { reportsPrefix = v; return this; }

        /** @return the immutable props */
        public InventoryModeProps build() {
            IBucket b = reportsBucket;
            String p = reportsPrefix;
            return new InventoryModeProps() {
                @Override public IBucket getReportsBucket() { return b; }
                @Override public String getReportsPrefix() { return p; }
            };
        }
    }
}
