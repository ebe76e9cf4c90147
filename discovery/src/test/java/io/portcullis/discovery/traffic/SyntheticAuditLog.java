package io.portcullis.discovery.traffic;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * An endless-or-bounded stream of audit-log lines (ECS nested JSON, as the gateway writes them) over a fixed set of
 * operations: {@code hosts × 100} templates such as {@code /v1/invoices/{id}/lines/{id}} and {@code /v2/orders/search},
 * with integer, UUID, prefixed and hex IDs, query names, apps, data classes and auth schemes. Generated lazily so
 * tens of millions of requests need no disk. For benchmarks and bounded-memory tests.
 */
public final class SyntheticAuditLog extends InputStream {
    static final String[] RESOURCES = {"customers", "invoices", "orders", "payments", "refunds", "subscriptions",
            "products", "prices", "accounts", "transfers", "disputes", "events", "files", "webhooks", "coupons",
            "tickets", "users", "groups", "messages", "calls"};
    static final String[] SUBS = {"lines", "items", "notes", "comments", "attachments"};
    private static final String[] APPS = {"billing-svc", "checkout-web", "crm-sync", "support-bot", "ledger"};
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SplittableRandom rnd;
    private final int hosts;
    private final long total;
    private long produced;
    private byte[] line = new byte[0];
    private int pos;
    private final StringBuilder sb = new StringBuilder(512);

    /** @param hosts number of vendor hosts (100 operations each); @param total lines to produce */
    public SyntheticAuditLog(long seed, int hosts, long total) {
        this.rnd = new SplittableRandom(seed);
        this.hosts = hosts;
        this.total = total;
    }

    /** Number of distinct operations this generator draws from. */
    public int operations() {
        return hosts * 100;
    }

    @Override
    public int read() {
        if (pos >= line.length && !next()) return -1;
        return line[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        int n = 0;
        while (n < len) {
            if (pos >= line.length && !next()) break;
            int c = Math.min(len - n, line.length - pos);
            System.arraycopy(line, pos, b, off + n, c);
            pos += c;
            n += c;
        }
        return n == 0 ? -1 : n;
    }

    private boolean next() {
        if (produced >= total) return false;
        produced++;
        line = nextLine().getBytes(StandardCharsets.UTF_8);
        pos = 0;
        return true;
    }

    /** One audit-log line ending with a newline. */
    public String nextLine() {
        int op = rnd.nextInt(hosts * 100);
        int host = op / 100;
        int local = op % 100;
        String res = RESOURCES[local % 20];
        int shape = local / 20;
        int idKind = host % 4;
        sb.setLength(0);
        sb.append("{\"@timestamp\":\"2026-11-22T10:").append(two(rnd.nextInt(60))).append(':').append(two(rnd.nextInt(60)))
                .append('.').append(100 + rnd.nextInt(900)).append("Z\",\"event\":{\"kind\":\"event\",\"category\":[\"web\"],\"duration\":")
                .append(rnd.nextInt(1_000_000)).append("},\"http\":{\"request\":{\"method\":\"")
                .append(shape == 4 ? "POST" : "GET").append("\",\"mime_type\":\"application/json\"},\"response\":{\"status_code\":")
                .append(rnd.nextInt(20) == 0 ? 404 : 200).append(",\"mime_type\":\"application/json\"}},\"url\":{\"domain\":\"api")
                .append(host).append(".vendor").append(host % 7).append(".example\",\"path\":\"/v").append(1 + (host & 1)).append('/').append(res);
        switch (shape) {
            case 1 -> id(idKind, res);
            case 2 -> {
                id(idKind, res);
                sb.append('/').append(SUBS[local % 5]);
            }
            case 3 -> {
                id(idKind, res);
                sb.append('/').append(SUBS[local % 5]);
                id((idKind + 1) % 4, "item");
            }
            case 4 -> sb.append("/search");
            default -> {
            }
        }
        sb.append("\",\"query\":\"limit=REDACTED&starting_after=REDACTED\"},\"portcullis\":{\"app\":\"")
                .append(APPS[rnd.nextInt(APPS.length)]).append("\",\"vendor\":\"vendor").append(host % 7)
                .append("\",\"api\":\"api").append(host).append("\",\"data_classes\":[")
                .append(rnd.nextInt(4) == 0 ? "\"email\",\"card_number\"" : "").append("],\"auth_scheme\":\"Bearer\",\"decision\":\"allow\"},")
                .append("\"source\":{\"ip\":\"10.0.").append(rnd.nextInt(256)).append('.').append(rnd.nextInt(256)).append("\"}}\n");
        return sb.toString();
    }

    private void id(int kind, String res) {
        sb.append('/');
        switch (kind) {
            case 0 -> sb.append(1 + rnd.nextInt(99_999_999));
            case 1 -> sb.append(new java.util.UUID(rnd.nextLong(), rnd.nextLong()));
            case 2 -> {
                sb.append(res, 0, 3).append('_');
                for (int i = 0; i < 14; i++) sb.append(ALNUM.charAt(rnd.nextInt(ALNUM.length())));
            }
            default -> {
                for (int i = 0; i < 24; i++) sb.append("0123456789abcdef".charAt(rnd.nextInt(16)));
            }
        }
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
