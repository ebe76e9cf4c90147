package io.portcullis.inspect.dlp;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phone number validation by libphonenumber (Google's metadata of numbering plans). Thread-safe.
 *
 * <p>The scanner already holds the digits, so the number is built directly (country calling code and
 * national number) and checked with {@link PhoneNumberUtil#isValidNumber}: the text parsing and
 * normalisation of {@code PhoneNumberUtil.parse} are skipped, which is most of libphonenumber's cost.
 */
final class PhoneNumbers {
    private PhoneNumbers() {}

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Regions tried for numbers written with a trunk prefix 0 and no country code. */
    private static final String[] NATIONAL_REGIONS = {"GB", "DE", "FR", "IN", "AU"};

    /** True when {@code d[0..n)} (with {@code plus} meaning an international number) is a valid number. */
    static boolean valid(int[] d, int n, boolean plus) {
        if (n > 17) return false;
        if (plus) {
            // Country calling codes are prefix-free: the first 1-3 digit prefix that is a code is the code.
            for (int ccLen = 1; ccLen <= 3 && ccLen < n; ccLen++) {
                int cc = (int) digits(d, 0, ccLen);
                if (UTIL.getRegionCodeForCountryCode(cc).equals("ZZ")) continue;
                return isValid(cc, d, ccLen, n);
            }
            return false;
        }
        if (d[0] != 0) {
            // Without a trunk prefix a number is read as North American (10 digits, or 11 with a leading 1).
            if (n == 10) return isValid(1, d, 0, n);
            if (n == 11 && d[0] == 1) return isValid(1, d, 1, n);
            return false;
        }
        for (String region : NATIONAL_REGIONS) {
            var pn = new PhoneNumber().setCountryCode(UTIL.getCountryCodeForRegion(region)).setNationalNumber(digits(d, 1, n));
            if (UTIL.isValidNumberForRegion(pn, region)) return true;
        }
        return false;
    }

    private static boolean isValid(int cc, int[] d, int from, int n) {
        if (n - from < 4) return false;
        var pn = new PhoneNumber().setCountryCode(cc).setNationalNumber(digits(d, from, n));
        if (cc == 39 && d[from] == 0) pn.setItalianLeadingZero(true); // Italian fixed lines keep their 0
        return UTIL.isValidNumber(pn);
    }

    private static long digits(int[] d, int s, int e) {
        long v = 0;
        for (int i = s; i < e; i++) v = v * 10 + d[i];
        return v;
    }
}
