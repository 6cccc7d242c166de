package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class CartService {
    private final CartRepository repository;

    public CartService(CartRepository repository) {
        this.repository = repository;
    }

    public Optional<Cart> find(UUID id) {
        return repository.findById(id);
    }
}
