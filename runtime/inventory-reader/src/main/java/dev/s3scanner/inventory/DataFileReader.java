package dev.s3scanner.inventory;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Streams the rows of one gzip-compressed CSV inventory data file (no header row; fields quoted
 * as S3 Inventory writes them) without holding the file in memory. Not thread-safe.
 */
public final class DataFileReader implements Closeable {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final InputStream in;
    private final MappingIterator<String[]> rows;
    private final InventoryColumns columns;
    private final String name;
    private long rowNumber;

    /**
     * @param gzippedCsv the data file's bytes (closed by {@link #close()})
     * @param columns    the manifest's column positions
     * @param name       the file's name for error messages, e.g. its {@code s3://} location
     * @throws InventoryException when the stream is not gzip or is damaged at its start
     */
    public DataFileReader(InputStream gzippedCsv, InventoryColumns columns, String name) {
        this.in = gzippedCsv;
        this.columns = columns;
        this.name = name;
        try {
            this.rows = CSV.readerFor(String[].class).with(CsvSchema.emptySchema())
                    .readValues(new InputStreamReader(new GZIPInputStream(gzippedCsv, 64 * 1024), StandardCharsets.UTF_8));
        } catch (IOException e) {
            closeQuietly();
            throw damaged(e);
        }
    }

    /** Rows read so far (the 0-based number of the next row). */
    public long rowNumber() {
        return rowNumber;
    }

    /**
     * The next row, or {@code null} at the end of the file.
     *
     * @throws InventoryException when the gzip stream or the CSV is damaged, or a row cannot be decoded
     */
    public InventoryRow next() {
        String[] fields = nextFields();
        if (fields == null) {
            return null;
        }
        return InventoryRow.fromCsv(fields, columns, "row " + rowNumber + " of inventory data file " + name);
    }

    /**
     * Skips rows without decoding them.
     *
     * @return the rows skipped (fewer than {@code n} at the end of the file)
     */
    public long skip(long n) {
        long skipped = 0;
        while (skipped < n && nextFields() != null) {
            skipped++;
        }
        return skipped;
    }

    /** Whether another row follows. */
    public boolean hasNext() {
        try {
            return rows.hasNextValue();
        } catch (IOException e) {
            throw damaged(e);
        }
    }

    private String[] nextFields() {
        try {
            if (!rows.hasNextValue()) {
                return null;
            }
            String[] fields = rows.nextValue();
            rowNumber++;
            return fields;
        } catch (IOException e) {
            throw damaged(e);
        } catch (UncheckedIOException e) {
            throw damaged(e.getCause());
        } catch (RuntimeException e) {
            throw new InventoryException("inventory data file " + name + " is damaged near row " + rowNumber + ": "
                    + e.getMessage(), e);
        }
    }

    private InventoryException damaged(IOException e) {
        return new InventoryException("inventory data file " + name + " is damaged near row " + rowNumber + ": "
                + e.getMessage(), e);
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to read from it
        }
    }

    @Override
    public void close() {
        try {
            rows.close();
        } catch (IOException ignored) {
            // closing a read stream
        } finally {
            closeQuietly();
        }
    }
}
