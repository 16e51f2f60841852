package dev.lmcache.redis.cli.text;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns: leading text columns left-aligned (the first one by
 * default, see {@link #leftColumns}), the others right-aligned (they hold numbers).
 */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private int left = 1;

    /** A table with these column headings. */
    public Table(String... header) {
        this.columns = header.length;
        rows.add(header.clone());
    }

    /** How many leading columns hold text and are left-aligned. */
    public Table leftColumns(int n) {
        this.left = n;
        return this;
    }

    /** Adds a row; each cell is shown with {@code String.valueOf}. */
    public Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + columns + " columns");
        }
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    /** Prints the table, each line indented by {@code indent}. */
    public void print(PrintWriter out, String indent) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (int ri = 0; ri < rows.size(); ri++) {
            String[] r = rows.get(ri);
            StringBuilder sb = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                String pad = " ".repeat(width[i] - r[i].length());
                sb.append(i < left ? r[i] + pad : pad + r[i]);
            }
            out.println(sb.toString().stripTrailing());
            if (ri == 0) {
                StringBuilder rule = new StringBuilder(indent);
                int total = 0;
                for (int w : width) {
                    total += w;
                }
                rule.append("-".repeat(total + 2 * (columns - 1)));
                out.println(rule);
            }
        }
        out.flush();
    }
}
