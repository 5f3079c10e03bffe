// Where the Rasa server (socket.io channel) listens. A school deploying the page sets this.
window.PACS_ADVISOR = window.PACS_ADVISOR || { server: "http://localhost:5005" };
