package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class WarehouseService {
    private final WarehouseRepository repository;

    public WarehouseService(WarehouseRepository repository) {
        this.repository = repository;
    }

    public Optional<Warehouse> find(UUID id) {
        return repository.findById(id);
    }
}
