package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class RefundService {
    private final RefundRepository repository;

    public RefundService(RefundRepository repository) {
        this.repository = repository;
    }

    public Optional<Refund> find(UUID id) {
        return repository.findById(id);
    }
}
