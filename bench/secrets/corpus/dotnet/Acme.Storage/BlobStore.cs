using Azure.Storage.Blobs;

namespace Acme.Storage;

public sealed class BlobStore
{
    private const string ConnectionString = "DefaultEndpointsProtocol=https;AccountName=acmeinvoices;AccountKey=nDDLRfgKD908Y88YE1L6XP6a6Di2amTqrmDnlOGCfmBL4TZjh7Qmtb9wIt2ZLt2bNHBScl8BE8quE8rO19ovTg==;EndpointSuffix=core.windows.net";

    private readonly BlobContainerClient _container = new(ConnectionString, "invoices");

    public async Task UploadAsync(string name, Stream data) =>
        await _container.UploadBlobAsync(name, data);
}
