$ErrorActionPreference = "Stop"
$server = "sql-backup.acme-corp.example"
$user = "backup_svc"
$password = ConvertTo-SecureString "maple_Orbit7694@" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ($user, $password)
Invoke-Sqlcmd -ServerInstance $server -Credential $cred -Query "BACKUP DATABASE [Sales] TO DISK = N'D:\Backup\Sales.bak'"
