<?php

namespace App\Payments;

use Square\SquareClient;

class SquareGateway
{
    public function client(): SquareClient
    {
        return new SquareClient([
            'accessToken' => 'EAAAE9mbnDxYkDG47Tmn52BoeIKA-uhtqTpuQ_FenXScB_RdaeHAZrum0qqWEcIb',
            'environment' => 'production',
        ]);
    }
}
