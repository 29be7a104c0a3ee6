package dev.fanout.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * One SVG file of two panels over a shared logarithmic hosts axis: wall seconds per run (top) and CPU milliseconds per
 * host (bottom), both on logarithmic axes, one line per mode and driver (colour by mode, solid or
 * dashed by driver). Drawn with JFreeChart and JFreeSVG, loaded only when a chart is written, headless.
 */
final class ScalingChart {

    static {
        // Before any AWT class looks at it: no display is needed, nor wanted, to draw into an SVG document.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // Rotated text (the value axes' labels) as SVG text, not as glyph outlines through a TextLayout: that
        // work-around is for a JDK 1.3 bug.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    /** Axis labels, also what tests look for in the SVG. */
    static final String HOSTS_LABEL = "hosts (log scale)";
    static final String SECONDS_LABEL = "seconds per run (log scale)";
    /** The CPU axis' label where the CPU time is the client's alone, as {@code fanout bench} measures it. */
    static final String CLIENT_CPU_LABEL = "client CPU ms per host (log scale)";

    private static final int WIDTH = 800;
    private static final int HEIGHT = 720;
    /** Room beyond the smallest and largest value of an axis, as a factor. */
    private static final double MARGIN = 1.25;
    /** The least ratio of an axis' upper bound to its lower one: at least one of 1, 2, 5 x 10^n always falls in. */
    private static final double MIN_RATIO = 2.6;
    private static final List<Color> MODE_COLOURS = List.of(new Color(0x1b9e77), new Color(0xd95f02),
            new Color(0x7570b3), new Color(0xe7298a), new Color(0x66a61e), new Color(0xe6ab02),
            new Color(0xa6761d), new Color(0x666666));
    private static final List<float[]> DRIVER_DASHES = List.of(new float[0], new float[] {8f, 4f},
            new float[] {2f, 3f});
    private static final List<Shape> DRIVER_SHAPES = List.of(new Ellipse2D.Double(-3.5, -3.5, 7, 7),
            new Rectangle2D.Double(-3.5, -3.5, 7, 7));

    /**
     * One measurement: a run of {@code mode} with {@code driver} on {@code hosts} hosts.
     *
     * @param mode the run mode as shown, e.g. {@code PLATFORM(50)}
     * @param driver the driver, e.g. {@code mina}
     * @param hosts hosts in the run
     * @param seconds wall time of the run
     * @param cpuMillisPerHost CPU time per host
     */
    record Point(String mode, String driver, int hosts, double seconds, double cpuMillisPerHost) {

        /** The line this point is on, also its legend text: mode and driver. */
        String series() {
            return mode + " " + driver;
        }
    }

    private ScalingChart() {
    }

    /**
     * Writes the chart of {@code points} to {@code file}, replacing it. A value a log axis cannot show (zero,
     * negative, NaN) is left out of its panel.
     *
     * @param title the chart's title
     * @param cpuLabel the label of the CPU axis, saying whose CPU time it is
     * @param points the measurements, in any order
     * @param file the SVG file to write
     * @throws IOException if the file cannot be written
     */
    static void write(String title, String cpuLabel, List<Point> points, Path file) throws IOException {
        Files.writeString(file, svg(title, cpuLabel, points), StandardCharsets.UTF_8);
    }

    /** The chart of {@code points} as an SVG document. */
    private static String svg(String title, String cpuLabel, List<Point> points) {
        Map<String, Point> firstOfSeries = new LinkedHashMap<>();
        points.forEach(point -> firstOfSeries.putIfAbsent(point.series(), point));
        List<Point> series = List.copyOf(firstOfSeries.values());
        List<String> modes = series.stream().map(Point::mode).distinct().toList();
        List<String> drivers = series.stream().map(Point::driver).distinct().toList();
        XYPlot seconds = panel(points, series, Point::seconds, SECONDS_LABEL);
        XYPlot cpu = panel(points, series, Point::cpuMillisPerHost, cpuLabel);
        for (XYPlot panel : List.of(seconds, cpu)) {
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
            for (int index = 0; index < series.size(); index++) {
                int mode = modes.indexOf(series.get(index).mode());
                int driver = drivers.indexOf(series.get(index).driver());
                renderer.setSeriesPaint(index, MODE_COLOURS.get(mode % MODE_COLOURS.size()));
                float[] dash = DRIVER_DASHES.get(driver % DRIVER_DASHES.size());
                renderer.setSeriesStroke(index, dash.length == 0 ? new BasicStroke(2f)
                        : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
                renderer.setSeriesShape(index, DRIVER_SHAPES.get(driver % DRIVER_SHAPES.size()));
            }
            panel.setRenderer(renderer);
            panel.setBackgroundPaint(Color.WHITE);
            panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
            panel.setDomainGridlineStroke(new BasicStroke(1f));
            panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
            panel.setRangeGridlineStroke(new BasicStroke(1f));
        }
        CombinedDomainXYPlot plot =
                new CombinedDomainXYPlot(logAxis(HOSTS_LABEL, points.stream().mapToDouble(Point::hosts)));
        plot.setGap(16);
        plot.add(seconds);
        plot.add(cpu);
        plot.setFixedLegendItems(seconds.getLegendItems());
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        SVGGraphics2D graphics = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(graphics, new Rectangle(0, 0, WIDTH, HEIGHT));
        return graphics.getSVGDocument();
    }

    /** One panel: a series per mode and driver, of the value {@code value} takes, over hosts. */
    private static XYPlot panel(List<Point> points, List<Point> series, ToDoubleFunction<Point> value,
            String label) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        for (Point first : series) {
            XYSeries line = new XYSeries(first.series(), true, true);
            points.stream().filter(point -> point.series().equals(first.series()))
                    .filter(point -> value.applyAsDouble(point) > 0 && Double.isFinite(value.applyAsDouble(point)))
                    .forEach(point -> line.add(point.hosts(), value.applyAsDouble(point)));
            dataset.addSeries(line);
        }
        return new XYPlot(dataset, null, logAxis(label, points.stream().mapToDouble(value)), null);
    }

    /**
     * A logarithmic axis over the values given, a little beyond them, labelled at 1, 2 and 5 times powers of ten (at
     * powers of ten alone over more than three decades), as plain text: JFreeChart's own log axis labels are attributed
     * strings, which an SVG holds as glyph outlines.
     */
    private static LogAxis logAxis(String label, DoubleStream values) {
        DoubleSummaryStatistics range = values.filter(value -> value > 0 && Double.isFinite(value))
                .summaryStatistics();
        double lower = range.getCount() == 0 ? 1 : range.getMin() / MARGIN;
        double upper = range.getCount() == 0 ? 10 : range.getMax() * MARGIN;
        double widen = Math.sqrt(Math.max(1, MIN_RATIO / (upper / lower)));
        LogAxis axis = new PlainLabelLogAxis(label);
        axis.setRange(lower / widen, upper * widen);
        return axis;
    }

    /** A {@link LogAxis} whose ticks are plain numbers (see {@link #logAxis}). */
    private static final class PlainLabelLogAxis extends LogAxis {

        private static final long serialVersionUID = 1L;

        PlainLabelLogAxis(String label) {
            super(label);
        }

        @Override
        public List<ValueTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea,
                RectangleEdge edge) {
            double lower = getLowerBound();
            double upper = getUpperBound();
            List<Integer> mantissas = Math.log10(upper / lower) > 3 ? List.of(1) : List.of(1, 2, 5);
            TextAnchor anchor = RectangleEdge.BOTTOM.equals(edge) ? TextAnchor.TOP_CENTER
                    : RectangleEdge.TOP.equals(edge) ? TextAnchor.BOTTOM_CENTER
                    : RectangleEdge.LEFT.equals(edge) ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT;
            DecimalFormat format = new DecimalFormat("#,##0.######", DecimalFormatSymbols.getInstance(Locale.ROOT));
            List<ValueTick> ticks = new ArrayList<>();
            for (int exponent = (int) Math.floor(Math.log10(lower)); exponent <= Math.ceil(Math.log10(upper));
                    exponent++) {
                for (int mantissa : mantissas) {
                    // Through BigDecimal, so 0.1 * 3 is labelled 0.3, not 0.30000000000000004.
                    double value = BigDecimal.valueOf(mantissa).scaleByPowerOfTen(exponent).doubleValue();
                    if (value >= lower && value <= upper) {
                        ticks.add(new NumberTick(value, format.format(value), anchor, anchor, 0));
                    }
                }
            }
            return ticks;
        }
    }
}
