package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class ReviewService {
    private final ReviewRepository repository;

    public ReviewService(ReviewRepository repository) {
        this.repository = repository;
    }

    public Optional<Review> find(UUID id) {
        return repository.findById(id);
    }
}
