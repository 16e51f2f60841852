package dev.lmcache.redis.cli.text;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts for {@code --plot FILE.png}, drawn headless with JFreeChart: grouped bars
 * (comparisons), lines (sweeps) and stacked time-series panels sharing a time axis (sustained
 * load). Every chart has a title, axis labels with units and a legend.
 */
public final class Charts {
    static {
        // No display on servers and CI: draw into images only.
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] PALETTE = {
        new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C), new Color(0xFF, 0x7F, 0x0E),
        new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B), new Color(0xE3, 0x77, 0xC2), new Color(0x7F, 0x7F, 0x7F),
        new Color(0xBC, 0xBD, 0x22), new Color(0x17, 0xBE, 0xCF), new Color(0x00, 0x00, 0x00), new Color(0xFF, 0xBB, 0x78),
    };
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Charts() {
    }

    /**
     * Grouped bars: one group per category, one bar per series (values in category order), each
     * bar labelled with its value. A log value axis suits values spanning orders of magnitude.
     */
    public static void bars(Path file, String title, String categoryLabel, String valueLabel, boolean logValues,
                     List<String> categories, Map<String, double[]> series) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            for (int i = 0; i < categories.size(); i++) {
                double v = s.getValue()[i];
                if (Double.isFinite(v)) {
                    data.addValue(v, s.getKey(), categories.get(i));
                    if (v > 0) {
                        min = Math.min(min, v);
                    }
                    max = Math.max(max, v);
                }
            }
        }
        CategoryAxis x = new CategoryAxis(categoryLabel);
        // long labels wrap onto up to three lines instead of being cut off with "..."
        x.setMaximumCategoryLabelLines(3);
        if (categories.size() > 6) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        ValueAxis y;
        if (logValues && max > 0) {
            LogAxis log = new LogAxis(valueLabel);
            log.setBase(10);
            log.setSmallestValue(Math.max(1e-6, min / 10));
            log.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            // Decades only (0.1, 1, 10, 100) with minor ticks between: readable, unlike 10^0.1 steps.
            log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
            log.setMinorTickCount(9);
            log.setMinorTickMarksVisible(true);
            log.setRange(Math.max(1e-6, min / 3), max * 4);
            y = log;
        } else {
            NumberAxis lin = new NumberAxis(valueLabel);
            lin.setUpperMargin(0.15);
            y = lin;
        }
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("#,##0.#")));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(TICK);
        r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        plot.setOrientation(PlotOrientation.VERTICAL);
        style(plot.getDomainAxis());
        style(plot.getRangeAxis());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        save(file, chart(title, plot), 1000, 600);
    }

    /** One line per series through its (x, y) points; optionally log-scaled x (base 2, for sizes). */
    public static void lines(Path file, String title, String xLabel, String yLabel, boolean logX, Map<String, double[][]> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> s : series.entrySet()) {
            XYSeries xy = new XYSeries(s.getKey(), true, true);
            for (double[] p : s.getValue()) {
                if (Double.isFinite(p[1])) {
                    xy.add(p[0], p[1]);
                }
            }
            data.addSeries(xy);
        }
        ValueAxis x;
        if (logX) {
            LogAxis log = new LogAxis(xLabel);
            log.setBase(2);
            log.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
            x = log;
        } else {
            x = new NumberAxis(xLabel);
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, x, y, renderer(series.size(), true));
        decorate(plot);
        save(file, chart(title, plot), 1000, 600);
    }

    /**
     * One panel of a time-series chart: its value-axis label, series of (seconds, value) points,
     * and whether the value axis is logarithmic (for latencies with outliers).
     */
    public record Panel(String yLabel, Map<String, double[][]> series, boolean logY) {
    }

    /**
     * Panels stacked over one shared time axis (seconds since start). Series colours are unique
     * across panels, so the one legend under the chart stays unambiguous.
     */
    public static void timePanels(Path file, String title, List<Panel> panels) {
        NumberAxis time = new NumberAxis("time since start (s)");
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
        combined.setGap(12);
        int colour = 0;
        for (Panel p : panels) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (Map.Entry<String, double[][]> s : p.series().entrySet()) {
                XYSeries xy = new XYSeries(s.getKey(), true, true);
                for (double[] pt : s.getValue()) {
                    if (Double.isFinite(pt[1])) {
                        xy.add(pt[0], pt[1]);
                    }
                }
                data.addSeries(xy);
            }
            ValueAxis y;
            if (p.logY()) {
                LogAxis log = new LogAxis(p.yLabel());
                log.setBase(10);
                log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
                log.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
                y = log;
            } else {
                NumberAxis lin = new NumberAxis(p.yLabel());
                lin.setAutoRangeIncludesZero(true);
                y = lin;
            }
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
            for (int i = 0; i < p.series().size(); i++) {
                r.setSeriesPaint(i, PALETTE[colour++ % PALETTE.length]);
                r.setSeriesStroke(i, new BasicStroke(2.2f));
            }
            XYPlot plot = new XYPlot(data, null, y, r);
            decorate(plot);
            combined.add(plot, 1);
        }
        style(time);
        save(file, chart(title, combined), 1100, 300 + 280 * panels.size());
    }

    private static XYLineAndShapeRenderer renderer(int n, boolean shapes) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        for (int i = 0; i < n; i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(2.2f));
        }
        return r;
    }

    private static void decorate(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (plot.getDomainAxis() != null) {
            style(plot.getDomainAxis());
        }
        style(plot.getRangeAxis());
    }

    private static void style(org.jfree.chart.axis.Axis axis) {
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(TICK);
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(LABEL);
        return chart;
    }

    private static void save(Path file, JFreeChart chart, int width, int height) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the plot to " + file + ": " + e.getMessage(), e);
        }
    }
}
