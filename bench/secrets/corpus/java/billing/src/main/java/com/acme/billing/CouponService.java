package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class CouponService {
    private final CouponRepository repository;

    public CouponService(CouponRepository repository) {
        this.repository = repository;
    }

    public Optional<Coupon> find(UUID id) {
        return repository.findById(id);
    }
}
