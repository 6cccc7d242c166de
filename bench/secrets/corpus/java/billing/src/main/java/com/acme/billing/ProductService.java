package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class ProductService {
    private final ProductRepository repository;

    public ProductService(ProductRepository repository) {
        this.repository = repository;
    }

    public Optional<Product> find(UUID id) {
        return repository.findById(id);
    }
}
