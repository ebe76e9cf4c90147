package io.portcullis.inspect.dlp;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;

/**
 * Phone number validation on libphonenumber's metadata (Google's numbering plans). Thread-safe.
 *
 * <p>The scanner already holds the digits, so no text is parsed. The decision is the one of
 * {@link PhoneNumberUtil#isValidNumber} (for numbers without a country code, of
 * {@link PhoneNumberUtil#isValidNumberForRegion}): the number is valid when its region's general pattern and
 * one of the type patterns (fixed line, mobile, toll free, ...) match; for a calling code shared by several
 * regions the region is the first whose leading digits match, or whose patterns do. What differs is the cost:
 * each region's patterns are compiled once when its calling code is first seen (libphonenumber looks them up
 * in a synchronised cache, builds a file name per look-up and classifies the number twice).
 * {@code PhoneNumbersTest} checks the decisions against libphonenumber itself.
 */
final class PhoneNumbers {
    private PhoneNumbers() {}

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final MetadataSource METADATA = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    /** Regions tried for numbers written with a trunk prefix 0 and no country code. */
    private static final String[] NATIONAL_REGIONS = {"GB", "DE", "FR", "IN", "AU"};
    /** Plans per country calling code (1..999), built on first use; null entries are not built yet. */
    private static final AtomicReferenceArray<Region[]> PLANS = new AtomicReferenceArray<>(1000);
    private static final Region[] NATIONAL = new Region[NATIONAL_REGIONS.length];

    static {
        for (int i = 0; i < NATIONAL_REGIONS.length; i++) NATIONAL[i] = new Region(METADATA.getMetadataForRegion(NATIONAL_REGIONS[i]));
    }

    /** True when {@code d[0..n)} (with {@code plus} meaning an international number) is a valid number. */
    static boolean valid(int[] d, int n, boolean plus) {
        if (n > 17) return false;
        if (plus) {
            // Country calling codes are prefix-free: the first 1-3 digit prefix that is a code is the code.
            for (int ccLen = 1; ccLen <= 3 && ccLen < n; ccLen++) {
                int cc = (int) digits(d, 0, ccLen);
                Region[] plan = plan(cc);
                if (plan.length == 0) continue;
                return isValid(plan, cc, d, ccLen, n);
            }
            return false;
        }
        if (d[0] != 0) {
            // Without a trunk prefix a number is read as North American (10 digits, or 11 with a leading 1).
            if (n == 10) return isValid(plan(1), 1, d, 0, n);
            if (n == 11 && d[0] == 1) return isValid(plan(1), 1, d, 1, n);
            return false;
        }
        String nsn = Long.toString(digits(d, 1, n));
        for (Region r : NATIONAL) {
            if (r.valid(nsn)) return true;
        }
        return false;
    }

    private static boolean isValid(Region[] plan, int cc, int[] d, int from, int n) {
        if (n - from < 4) return false;
        // The national significant number as libphonenumber forms it: Italian fixed lines keep their 0.
        String nsn = Long.toString(digits(d, from, n));
        if (cc == 39 && d[from] == 0) nsn = "0" + nsn;
        if (plan.length == 1) return plan[0].valid(nsn);
        for (Region r : plan) {
            // The number's region: the first whose leading digits match, or (without them) for which it is valid.
            if (r.leadingDigits == null) {
                if (r.valid(nsn)) return true;
            } else if (r.leadingDigits.matcher(nsn).lookingAt()) {
                return r.valid(nsn);
            }
        }
        return false;
    }

    private static Region[] plan(int cc) {
        if (cc <= 0 || cc >= 1000) return new Region[0];
        Region[] p = PLANS.get(cc);
        if (p != null) return p;
        List<String> codes = UTIL.getRegionCodesForCountryCode(cc);
        var regions = new java.util.ArrayList<Region>(codes.size());
        for (String code : codes) {
            PhoneMetadata m = code.equals("001") ? METADATA.getMetadataForNonGeographicalRegion(cc) : METADATA.getMetadataForRegion(code);
            if (m != null) regions.add(new Region(m));
        }
        p = regions.toArray(Region[]::new);
        PLANS.compareAndSet(cc, null, p);
        return PLANS.get(cc);
    }

    private static long digits(int[] d, int s, int e) {
        long v = 0;
        for (int i = s; i < e; i++) v = v * 10 + d[i];
        return v;
    }

    /** One region's numbering plan with its patterns compiled. */
    private static final class Region {
        final Pattern leadingDigits;
        final Desc general;
        /** Fixed line, mobile, toll free, premium rate, shared cost, VoIP, personal, pager, UAN, voicemail (those with a pattern). */
        final Desc[] types;

        Region(PhoneMetadata m) {
            leadingDigits = m.hasLeadingDigits() ? Pattern.compile(m.getLeadingDigits()) : null;
            general = new Desc(m.getGeneralDesc());
            var t = new java.util.ArrayList<Desc>();
            // Only "some type matches" counts, so the common types go first.
            t.add(new Desc(m.getFixedLine()));
            // With the same pattern for both, a number that is not a fixed line is not a mobile number either.
            if (!m.getSameMobileAndFixedLinePattern()) t.add(new Desc(m.getMobile()));
            for (PhoneNumberDesc desc : List.of(m.getTollFree(), m.getPremiumRate(), m.getSharedCost(), m.getVoip(),
                    m.getPersonalNumber(), m.getPager(), m.getUan(), m.getVoicemail())) {
                t.add(new Desc(desc));
            }
            types = t.stream().filter(x -> x.pattern != null).toArray(Desc[]::new);
        }

        /** libphonenumber's "number type is not UNKNOWN". */
        boolean valid(String nsn) {
            if (!general.matches(nsn)) return false;
            for (Desc t : types) if (t.matches(nsn)) return true;
            return false;
        }
    }

    /** A number description: possible lengths (empty means any) and the national number pattern (null when empty). */
    private static final class Desc {
        final long lengths;
        final boolean anyLength;
        final Pattern pattern;

        Desc(PhoneNumberDesc d) {
            long l = 0;
            for (int len : d.getPossibleLengthList()) if (len >= 0 && len < 64) l |= 1L << len;
            lengths = l;
            anyLength = d.getPossibleLengthCount() == 0;
            pattern = d.getNationalNumberPattern().isEmpty() ? null : Pattern.compile(d.getNationalNumberPattern());
        }

        boolean matches(String nsn) {
            int len = nsn.length();
            if (!anyLength && (len >= 64 || (lengths & (1L << len)) == 0)) return false;
            return pattern != null && pattern.matcher(nsn).matches();
        }
    }
}
