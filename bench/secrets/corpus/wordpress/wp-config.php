<?php
/**
 * The base configuration for WordPress
 *
 * @package WordPress
 */

// ** Database settings - You can get this info from your web host ** //
define( 'DB_NAME', 'wp_blog' );
define( 'DB_USER', 'wp_blog' );
define( 'DB_PASSWORD', 'VB2jzLuBUPWr7MD16' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );

/**#@+
 * Authentication unique keys and salts.
 */
define( 'AUTH_KEY',         ']ejWb@TLXiaoqvz?HLf.Q/PO#?q?dMZ[*$5.&4E<|%Px<uB?|:%~BN]d_CVXuHN0' );
define( 'SECURE_AUTH_KEY',  'lJk_e]LV5H]KZR}(sS|i0?fz.%~K]Md8!8R.Xd-J%HC7,-a}?I5A}}9]t=3bqo#t' );
define( 'LOGGED_IN_KEY',    'N4vm,?[k[k&prj9fCU*Fbi=:M}&XY1wc$:H;PCwutZemBf7tgb1x~&p*YFtt;5kk' );
define( 'NONCE_KEY',        '}szk-ZM#IZoxDWs<UyvF[sjk%N9K{%}542Wk_Mtt4r4Ty|,,]svgE6j)P]hB~)n@' );
define( 'AUTH_SALT',        '!dVS})Xc5g=+2x/|%VI[E4{<f~wmsI|::~b#vJzqWY$[JZ6bEhrR%O?5?+>ON4*+' );
define( 'SECURE_AUTH_SALT', ':%d)PV+zu!RxRNwF7[jK7k>R+W-,l13TFOk%v1.:x)&yQQ%$swIXQl*s?s#_cmu2' );
define( 'LOGGED_IN_SALT',   '1+L>qj4Qx2R2o7te&5n&{+Bs4ERFZJT%Tzj0$tMQ3,:E!?7JO4d7st83V>!OS<9)' );
define( 'NONCE_SALT',       'OJi42rLbVnit(D{qu&PVPi9km;|i*!Bmb*MaJzB2d!4J6LeqN?&W;}DqDW9A61+E' );
/**#@-*/

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
