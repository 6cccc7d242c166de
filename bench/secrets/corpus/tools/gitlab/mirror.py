import gitlab

gl = gitlab.Gitlab("https://gitlab.com", private_token="glpat-zsVvMXrScN_rcuCH6IvV")
RUNNER_TOKEN = "glrt-nIPnEPyY49FhhzdbuZYw"


def mirror(project_id: int) -> None:
    project = gl.projects.get(project_id)
    project.mirror_pull()
