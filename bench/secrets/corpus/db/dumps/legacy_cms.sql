-- phpMyAdmin SQL Dump
-- version 4.9.5
-- Generation Time: Mar 14, 2019 at 10:02 AM

SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";

CREATE TABLE `cms_users` (
  `uid` int(11) NOT NULL,
  `login` varchar(50) NOT NULL,
  `pass_md5` varchar(32) NOT NULL,
  `last_login` datetime DEFAULT NULL
) ENGINE=MyISAM DEFAULT CHARSET=latin1;

INSERT INTO `cms_users` (`uid`, `login`, `pass_md5`, `last_login`) VALUES
(1, 'admin', '22f9de300c5c05f1a4a415f681bdfa29', '2019-03-01 10:00:00'),
(2, 'editor', 'fa3e44f6c3a2356e036c1d3a42b4ea9f', '2019-03-02 11:00:00'),
(3, 'guest', '6f62b4d9002e01bce29ae9c84e5ad5a6', '2019-03-03 12:00:00'),
(4, 'webmaster', 'a2e089146c1111ba479feff373f2002e', '2019-03-04 13:00:00'),
(5, 'kchen', 'b43681d2bb2e31878a19f611328f0ab7', '2019-03-05 14:00:00');

CREATE TABLE `cms_api_clients` (
  `id` int(11) NOT NULL,
  `name` varchar(50) NOT NULL,
  `secret_sha1` char(40) NOT NULL
) ENGINE=MyISAM DEFAULT CHARSET=latin1;

INSERT INTO `cms_api_clients` (`id`, `name`, `secret_sha1`) VALUES
(1, 'mobile-app', '0dc61a8aa99a767854de5c6ae4acea8cb573bcb7'),
(2, 'newsletter', 'e9eb9f199f4f474e4791ebcb989f49f93513c5a8');
