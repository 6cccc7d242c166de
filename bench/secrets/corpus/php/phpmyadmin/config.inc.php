<?php
$cfg['blowfish_secret'] = 'wsS8qMRutEYk6gvVgsLMScpjoClL8zc4';
$i = 0;
$i++;
$cfg['Servers'][$i]['auth_type'] = 'cookie';
$cfg['Servers'][$i]['host'] = 'localhost';
$cfg['Servers'][$i]['AllowNoPassword'] = false;
$cfg['UploadDir'] = '';
