package io.portcullis.inspect.dlp;

/** The class of sensitive data a finding belongs to; policies allow or deny by class and by type. */
public enum DataClass {
    /** Payment card data (PCI DSS scope): card numbers, card security codes. */
    PCI,
    /** Personal data: contact details, national identifiers, network addresses, dates of birth. */
    PII,
    /** Credentials: private keys, tokens, vendor API keys, passwords. */
    SECRET,
    /** Found by a detector defined in configuration. */
    CUSTOM
}
