-- MySQL dump 10.13  Distrib 8.0.35, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
-- Server version	8.0.35-0ubuntu0.22.04.1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table `products`
--

DROP TABLE IF EXISTS `products`;
CREATE TABLE `products` (
  `id` int NOT NULL AUTO_INCREMENT,
  `sku` varchar(32) NOT NULL,
  `name` varchar(255) NOT NULL,
  `image_sha256` char(64) NOT NULL,
  `price_cents` int NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `products` WRITE;
INSERT INTO `products` VALUES (1,'MUG-001','Enamel mug','d45bf4fc205fc183f4670abb33d2827797bb26b0cad080acd8ffb6b1bf95b3c2',1450),(2,'TEE-014','Logo tee','b631c422e63f5a690a5ad92b040fbb5c806cdf99d39856d8c9b367ed48f62921',2200),(3,'CAP-002','Cap','4f43a75df7cacd48963dbb5e753008dce21b7def28f21b21c5f55acfb0ae9141',1800);
UNLOCK TABLES;

--
-- Table structure for table `users`
--

DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (
  `id` int NOT NULL AUTO_INCREMENT,
  `username` varchar(64) NOT NULL,
  `email` varchar(255) NOT NULL,
  `password` varchar(255) NOT NULL,
  `is_admin` tinyint(1) NOT NULL DEFAULT '0',
  `created_at` datetime NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'admin','admin@acme-corp.example','$2y$10$bvfo3ikqqKOS9I7GEMM6TOPeC9Wdi5QwPDRUrjpMgRU0a6CZcXNz0',1,'2023-02-10 09:20:00'),(2,'jsmith','jsmith@acme-corp.example','$2y$10$ZUg3NLdrvpbzt.ZTjeMCdQcQy1ZXW35PjBf3AfY8ENzBgVbukzNYu',0,'2023-03-11 09:21:00'),(3,'mlopez','mlopez@acme-corp.example','$2y$10$P4p625hshiZbHa2lFO7tI9Kh3ydB1G6jjwd8lXdmA9ooQ7weBLaFu',0,'2023-04-12 09:22:00'),(4,'support','support@acme-corp.example','$2y$10$xyyETcCufD/XYQfrDpXARoEMQrlF6SLyGR77sw83c3oRIoALYLbW3',0,'2023-05-13 09:23:00');
UNLOCK TABLES;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2023-11-02  3:15:01
