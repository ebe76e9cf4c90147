package io.portcullis.discovery.code;

/**
 * A secret found in file content.
 *
 * @param start         byte offset of the first byte of the secret
 * @param type          detector name, e.g. {@code aws-access-key-id}
 * @param vendor        registry id of the vendor that issued the secret, or null
 * @param maskedPreview a preview that cannot be used to recover the secret
 */
public record SecretMatch(int start, String type, String vendor, String maskedPreview) {}
