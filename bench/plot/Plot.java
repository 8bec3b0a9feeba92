import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws bench/autoscale.sh's samples as a PNG: request rate (left axis) and replicas, desired and
 * ready (right axis), over time, with the load period shaded. Run as a single-file program:
 * {@code java bench/plot/Plot.java samples.csv out.png "title"}; the CSV has a header and the
 * columns seconds,rate,desired,ready,load (load 1 while the load generator runs).
 */
public class Plot {

  record Sample(double t, double rate, int desired, int ready, boolean load) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: java Plot.java samples.csv out.png [title]");
      System.exit(2);
    }
    List<Sample> samples = new ArrayList<>();
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      samples.add(
          new Sample(
              Double.parseDouble(f[0]),
              Double.parseDouble(f[1]),
              Integer.parseInt(f[2]),
              Integer.parseInt(f[3]),
              "1".equals(f[4])));
    }
    if (samples.isEmpty()) {
      System.err.println("no samples in " + args[0]);
      System.exit(1);
    }
    String title = args.length > 2 ? args[2] : "";
    int w = 960, h = 520, left = 70, right = 70, top = 50, bottom = 96;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);

    double tMax = samples.get(samples.size() - 1).t();
    double rateMax = niceCeiling(samples.stream().mapToDouble(Sample::rate).max().orElse(1));
    int replicasMax =
        (int) niceCeiling(samples.stream().mapToInt(s -> Math.max(s.desired(), s.ready())).max().orElse(1));
    int pw = w - left - right, ph = h - top - bottom;
    java.util.function.DoubleUnaryOperator x = t -> left + pw * t / Math.max(1, tMax);
    java.util.function.DoubleUnaryOperator yRate = r -> top + ph - ph * r / rateMax;
    java.util.function.DoubleUnaryOperator yRep = r -> top + ph - ph * r / replicasMax;

    // load period
    g.setColor(new Color(255, 240, 200));
    for (int i = 0; i < samples.size() - 1; i++) {
      if (samples.get(i).load()) {
        int x0 = (int) x.applyAsDouble(samples.get(i).t());
        int x1 = (int) Math.ceil(x.applyAsDouble(samples.get(i + 1).t()));
        g.fillRect(x0, top, x1 - x0, ph);
      }
    }
    // grid and axes
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i <= 5; i++) {
      int y = top + ph - ph * i / 5;
      g.setColor(new Color(225, 225, 225));
      g.drawLine(left, y, left + pw, y);
      g.setColor(new Color(40, 90, 170));
      String r = String.format("%.0f", rateMax * i / 5);
      g.drawString(r, left - 8 - g.getFontMetrics().stringWidth(r), y + 4);
      g.setColor(new Color(190, 60, 40));
      g.drawString(String.format("%.0f", replicasMax * i / 5.0), left + pw + 8, y + 4);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawRect(left, top, pw, ph);
    int step = tMax > 120 ? 20 : 10;
    for (int t = 0; t <= tMax; t += step) {
      int xx = (int) x.applyAsDouble(t);
      g.drawLine(xx, top + ph, xx, top + ph + 4);
      String s = t + " s";
      g.drawString(s, xx - g.getFontMetrics().stringWidth(s) / 2, top + ph + 18);
    }
    g.drawString("time since the start of the load", left + pw / 2 - 90, top + ph + 36);
    g.setColor(new Color(40, 90, 170));
    g.drawString("requests / s", 8, top - 12);
    g.setColor(new Color(190, 60, 40));
    g.drawString("replicas", w - right + 8, top - 12);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left, 24);

    // series
    g.setStroke(new BasicStroke(2f));
    draw(g, samples, x, s -> yRate.applyAsDouble(s.rate()), new Color(40, 90, 170), false);
    draw(g, samples, x, s -> yRep.applyAsDouble(s.desired()), new Color(190, 60, 40), true);
    g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
    draw(g, samples, x, s -> yRep.applyAsDouble(s.ready()), new Color(230, 140, 40), true);

    // legend
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setStroke(new BasicStroke(2f));
    int lx = left, ly = h - 20;
    legend(g, lx, ly, new Color(40, 90, 170), "request rate (req/s)", false);
    legend(g, lx + 200, ly, new Color(190, 60, 40), "desired replicas", false);
    legend(g, lx + 380, ly, new Color(230, 140, 40), "ready replicas", true);
    g.setColor(new Color(255, 240, 200));
    g.fillRect(lx + 540, ly - 5, 24, 10);
    g.setColor(Color.DARK_GRAY);
    g.drawRect(lx + 540, ly - 5, 24, 10);
    g.drawString("load running", lx + 572, ly + 4);
    g.dispose();
    ImageIO.write(img, "png", new File(args[1]));
  }

  private static void draw(
      Graphics2D g,
      List<Sample> samples,
      java.util.function.DoubleUnaryOperator x,
      java.util.function.ToDoubleFunction<Sample> y,
      Color color,
      boolean stepwise) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      double xx = x.applyAsDouble(s.t()), yy = y.applyAsDouble(s);
      if (i == 0) {
        p.moveTo(xx, yy);
      } else {
        if (stepwise) {
          p.lineTo(xx, y.applyAsDouble(samples.get(i - 1)));
        }
        p.lineTo(xx, yy);
      }
    }
    g.setColor(color);
    g.draw(p);
  }

  private static void legend(Graphics2D g, int x, int y, Color color, String text, boolean dashed) {
    g.setColor(color);
    if (dashed) {
      g.drawLine(x, y, x + 8, y);
      g.drawLine(x + 14, y, x + 24, y);
    } else {
      g.drawLine(x, y, x + 24, y);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawString(text, x + 32, y + 4);
  }

  private static double niceCeiling(double v) {
    if (v <= 5) {
      return 5;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= v) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
