package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class InvoiceService {
    private final InvoiceRepository repository;

    public InvoiceService(InvoiceRepository repository) {
        this.repository = repository;
    }

    public Optional<Invoice> find(UUID id) {
        return repository.findById(id);
    }
}
