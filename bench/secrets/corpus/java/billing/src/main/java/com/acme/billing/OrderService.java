package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class OrderService {
    private final OrderRepository repository;

    public OrderService(OrderRepository repository) {
        this.repository = repository;
    }

    public Optional<Order> find(UUID id) {
        return repository.findById(id);
    }
}
