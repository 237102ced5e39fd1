"""Asking the API as the chat does: earlier turns are asked first and sent back as history."""

from __future__ import annotations


def ask(client, question, turns=()):
    history = []
    for turn in turns:
        earlier = client.post("/api/ask", json={"question": turn, "history": history}).json()
        history += [
            {"role": "user", "content": turn},
            {"role": "assistant", "content": earlier["answer"]},
        ]
    response = client.post("/api/ask", json={"question": question, "history": history})
    assert response.status_code == 200, response.text
    return response.json()
