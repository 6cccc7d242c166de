package com.acme.billing;

public final class SecretsConfig {
    public static final String DB_PASSWORD_ENV = "BILLING_DB_PASSWORD";
    public static final String PASSWORD_FIELD = "password";

    public static String dbPassword() {
        String value = System.getenv(DB_PASSWORD_ENV);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(DB_PASSWORD_ENV + " is not set");
        }
        return value;
    }
}
