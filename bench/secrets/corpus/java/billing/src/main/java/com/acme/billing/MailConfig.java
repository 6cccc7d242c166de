package com.acme.billing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class MailConfig {
    static final String DOMAIN = "mg.acme-corp.example";
    static final String MAILGUN_API_KEY = "key-3171fbb63b220199734ece6d712685a8";

    @Bean
    MailgunClient mailgun() {
        return new MailgunClient(DOMAIN, MAILGUN_API_KEY);
    }
}
