package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class CustomerService {
    private final CustomerRepository repository;

    public CustomerService(CustomerRepository repository) {
        this.repository = repository;
    }

    public Optional<Customer> find(UUID id) {
        return repository.findById(id);
    }
}
