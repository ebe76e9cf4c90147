package io.portcullis.inspect.dlp;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/** Phone number validation by libphonenumber (Google's metadata of numbering plans). Thread-safe. */
final class PhoneNumbers {
    private PhoneNumbers() {}

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Regions tried for numbers written without a country code: NANP first, then common European/Indian plans. */
    private static final String[] NATIONAL_REGIONS = {"US", "GB", "DE", "FR", "ES", "IN", "AU"};

    /** True when {@code digits} (with {@code plus} meaning an international number) is a valid number. */
    static boolean valid(int[] d, int n, boolean plus) {
        var sb = new StringBuilder(n + 1);
        if (plus) sb.append('+');
        for (int i = 0; i < n; i++) sb.append((char) ('0' + d[i]));
        String s = sb.toString();
        try {
            if (plus) return UTIL.isValidNumber(UTIL.parse(s, "ZZ"));
            if (d[0] != 0) {
                // Without a trunk prefix a number is read as North American (10 digits, or 11 with a leading 1).
                return (n == 10 || (n == 11 && d[0] == 1)) && UTIL.isValidNumberForRegion(UTIL.parse(s, "US"), "US");
            }
            for (String region : NATIONAL_REGIONS) {
                if (region.equals("US")) continue;
                if (UTIL.isValidNumberForRegion(UTIL.parse(s, region), region)) return true;
            }
            return false;
        } catch (NumberParseException e) {
            return false;
        }
    }
}
