"""The welcome page anyone sees without an account."""


def test_the_welcome_page_leads_to_sign_in_and_to_checking_a_certificate(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/login"' in page
    assert 'id="verify-link" href="/verify"' in page
    assert client.get("/verify").status_code == 200
