package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class ShipmentService {
    private final ShipmentRepository repository;

    public ShipmentService(ShipmentRepository repository) {
        this.repository = repository;
    }

    public Optional<Shipment> find(UUID id) {
        return repository.findById(id);
    }
}
